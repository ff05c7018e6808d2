"""The workspace: a database that keeps uploads, models, at-risk lists and settings for
everyone with the password, across reloads, restarts and browsers.

SQLite by default (``workspace/workspace.db``), PostgreSQL from ``DATABASE_URL``; migrations
run on open. Model bundles are signed with ``SECRET_KEY`` and checked before unpickling.
Every function raises :class:`~churn_core.errors.ChurnDataError` (never a database traceback)
when the database is away or a limit is reached, and every write is one transaction.
"""

from churn_core.workspace.champion import (
    Comparison,
    compare_models,
    compare_with_model_in_use,
)
from churn_core.workspace.database import (
    Workspace,
    describe_url,
    get_revision,
    get_workspace_folder,
    open_workspace,
    resolve_url,
    upgrade,
)
from churn_core.workspace.datasets import (
    FAILED,
    READING,
    READY,
    DatasetRecord,
    LoadedDataset,
    delete_dataset,
    get_data_kind,
    get_dataset,
    keep_read_table,
    list_datasets,
    load_dataset_bytes,
    mark_dataset_read,
    read_dataset,
    read_dataset_in_background,
    save_dataset,
    save_dataset_choices,
)
from churn_core.workspace.last_used import (
    InUse,
    get_last_in_use,
    remember_in_use,
)
from churn_core.workspace.limits import Limits
from churn_core.workspace.lists import (
    ListRecord,
    delete_at_risk_list,
    list_at_risk_lists,
    load_at_risk_list,
    save_at_risk_list,
)
from churn_core.workspace.registry import (
    ModelRecord,
    delete_model,
    find_model_in_use,
    get_model_in_use,
    get_model_record,
    list_models,
    load_registered_model,
    register_model,
    use_model,
)
from churn_core.workspace.settings import (
    ACTION_PLAN,
    CLV_ASSUMPTIONS,
    PLAYS,
    SEGMENT_CHOICES,
    SettingRecord,
    delete_setting,
    list_settings,
    load_setting,
    save_setting,
    scope_for_kind,
)
from churn_core.workspace.summary import describe_workspace, get_storage_used
from churn_core.workspace.training_queue import (
    JobRecord,
    TrainingWorker,
    get_job,
    list_jobs,
    mark_interrupted_jobs,
    submit_training,
    train_dataset,
)

__all__ = [
    "ACTION_PLAN",
    "CLV_ASSUMPTIONS",
    "FAILED",
    "PLAYS",
    "READING",
    "READY",
    "SEGMENT_CHOICES",
    "Comparison",
    "DatasetRecord",
    "InUse",
    "JobRecord",
    "Limits",
    "ListRecord",
    "LoadedDataset",
    "ModelRecord",
    "SettingRecord",
    "TrainingWorker",
    "Workspace",
    "compare_models",
    "compare_with_model_in_use",
    "delete_at_risk_list",
    "delete_dataset",
    "delete_model",
    "delete_setting",
    "describe_url",
    "describe_workspace",
    "find_model_in_use",
    "get_data_kind",
    "get_dataset",
    "get_job",
    "get_last_in_use",
    "get_model_in_use",
    "get_model_record",
    "get_revision",
    "get_storage_used",
    "get_workspace_folder",
    "keep_read_table",
    "list_at_risk_lists",
    "list_datasets",
    "list_jobs",
    "list_models",
    "list_settings",
    "load_at_risk_list",
    "load_dataset_bytes",
    "load_registered_model",
    "load_setting",
    "mark_dataset_read",
    "mark_interrupted_jobs",
    "open_workspace",
    "read_dataset",
    "read_dataset_in_background",
    "register_model",
    "remember_in_use",
    "resolve_url",
    "save_at_risk_list",
    "save_dataset",
    "save_dataset_choices",
    "save_setting",
    "scope_for_kind",
    "submit_training",
    "train_dataset",
    "upgrade",
    "use_model",
]
