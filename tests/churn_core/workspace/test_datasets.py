"""Uploads kept the moment they arrive, read, with the user's choices (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from churn_core.errors import ChurnDataError
from churn_core.io import read_table
from churn_core.schema import Role, profile_table
from churn_core.workspace import (
    FAILED,
    READING,
    READY,
    Limits,
    Workspace,
    delete_dataset,
    get_data_kind,
    get_dataset,
    keep_read_table,
    list_datasets,
    load_dataset_bytes,
    read_dataset,
    read_dataset_in_background,
    save_dataset,
    save_dataset_choices,
)
from churn_core.workspace.tables import Dataset


def count_rows(workspace: Workspace) -> int:
    with workspace.reading() as session:
        return int(session.scalar(select(func.count(Dataset.id))) or 0)


def test_an_upload_is_kept_as_it_arrived_before_it_is_read(
    workspace: Workspace, sample_bytes: bytes
) -> None:
    record = save_dataset(workspace, sample_bytes, "customers.csv")
    assert record.status == READING
    assert (record.rows, record.columns, record.kind) == (None, None, None)
    assert record.size_bytes == len(sample_bytes)
    assert 0 < record.stored_bytes < len(sample_bytes) / 2  # compressed
    assert record.describe().startswith("customers.csv: still being read, uploaded ")
    assert load_dataset_bytes(workspace, record.id) == sample_bytes


def test_reading_a_kept_upload_records_its_size_columns_and_kind(
    workspace: Workspace, sample_bytes: bytes
) -> None:
    record = save_dataset(workspace, sample_bytes, "customers.csv")
    loaded = read_dataset(workspace, record.id)
    expected = read_table(sample_bytes, name="customers.csv").frame
    assert loaded.table.frame.equals(expected)
    kept = get_dataset(workspace, record.id)
    assert (kept.status, kept.rows, kept.columns) == (READY, 5000, 15)
    assert kept.column_names == list(expected.columns)
    assert kept.label_column == loaded.profile.label_column == "Churned"
    assert kept.kind == get_data_kind(expected.columns.drop("Churned"), None)
    assert kept.describe().startswith("customers.csv: 5,000 rows x 15 columns, uploaded ")


def test_the_same_file_uploaded_twice_is_kept_once(
    workspace: Workspace, sample_bytes: bytes
) -> None:
    first = save_dataset(workspace, sample_bytes, "customers.csv")
    again = save_dataset(workspace, sample_bytes, "customers (1).csv")
    assert again.id == first.id
    assert count_rows(workspace) == 1


def test_a_file_that_cannot_be_read_is_kept_with_the_reason(workspace: Workspace) -> None:
    record = save_dataset(workspace, b"\x89PNG\r\n\x1a\n" + bytes(200), "photo.csv")
    with pytest.raises(ChurnDataError) as caught:
        read_dataset(workspace, record.id)
    kept = get_dataset(workspace, record.id)
    assert kept.status == FAILED
    assert kept.problem == str(caught.value)
    assert kept.describe().startswith("photo.csv: could not be read, uploaded ")


def test_reading_in_the_background_finishes_without_anyone_waiting(
    workspace: Workspace, sample_bytes: bytes
) -> None:
    record = save_dataset(workspace, sample_bytes, "customers.csv")
    thread = read_dataset_in_background(workspace, record.id)
    thread.join(60)
    assert not thread.is_alive()
    assert get_dataset(workspace, record.id).status == READY


def test_role_and_label_choices_are_kept_and_used_when_the_data_is_read_again(
    workspace: Workspace, sample_bytes: bytes
) -> None:
    record = save_dataset(workspace, sample_bytes, "customers.csv")
    first = read_dataset(workspace, record.id)
    assert first.profile.column("Region").role is not Role.IGNORED
    save_dataset_choices(
        workspace,
        record.id,
        roles={"Region": Role.IGNORED, "Churned": "label"},
        churned_value="No",
        label_column="Churned",
    )
    again = read_dataset(workspace, record.id)
    assert again.roles == {"Region": Role.IGNORED, "Churned": Role.LABEL}
    assert again.profile.column("Region").role is Role.IGNORED
    assert again.profile.label_mapping is not None
    assert again.profile.label_mapping.churned_value == "No"
    assert get_dataset(workspace, record.id).roles == {"Region": "ignored", "Churned": "label"}


def test_datasets_are_listed_newest_first_and_deleted_on_request(
    workspace: Workspace, sample_bytes: bytes
) -> None:
    old = save_dataset(workspace, b"id,Churn\n1,Yes\n2,No\n", "old.csv")
    new = save_dataset(workspace, sample_bytes, "new.csv")
    assert [d.id for d in list_datasets(workspace)] == [new.id, old.id]
    delete_dataset(workspace, old.id)
    assert [d.id for d in list_datasets(workspace)] == [new.id]
    with pytest.raises(ChurnDataError) as caught:
        get_dataset(workspace, old.id)
    assert str(caught.value) == (
        f"Dataset {old.id} is not in the workspace (someone may have deleted it). See what is "
        "kept on the Workspace page (or: python -m churn_core workspace list)."
    )


def test_a_file_over_the_limit_is_refused_before_anything_is_written(
    workspace: Workspace, sample_bytes: bytes
) -> None:
    workspace.limits = replace(workspace.limits, dataset_mb=0.25)
    with pytest.raises(ChurnDataError) as caught:
        save_dataset(workspace, sample_bytes, "customers.csv")
    (problem,) = caught.value.problems
    assert problem.code == "too_large_for_workspace"
    assert str(problem) == (
        '"customers.csv" is 0.49 MB; the workspace keeps up to 0.25 MB each, so it was not '
        "saved. Use a smaller file (fewer rows or columns), or the command line for large files."
    )
    assert count_rows(workspace) == 0


def test_a_file_that_would_fill_the_workspace_is_refused_before_anything_is_written(
    workspace: Workspace, sample_bytes: bytes
) -> None:
    first = save_dataset(workspace, sample_bytes, "first.csv")
    workspace.limits = Limits(quota_mb=(first.stored_bytes + 1000) / 1024 / 1024)
    with pytest.raises(ChurnDataError) as caught:
        save_dataset(workspace, sample_bytes + b"\n", "second.csv")
    assert str(caught.value) == (
        'The workspace holds 0.09 MB of its 0.09 MB; "second.csv" needs 0.09 MB more, so it was '
        "not saved. Delete datasets, models or lists you no longer need on the Workspace page, "
        "or move to a larger database plan and raise WORKSPACE_QUOTA_MB."
    )
    assert count_rows(workspace) == 1


def test_two_people_uploading_at_once_are_both_kept(
    workspace: Workspace, sample_bytes: bytes
) -> None:
    files = [sample_bytes + f"\n# upload {i}\n".encode() for i in range(6)]
    barrier = threading.Barrier(len(files))
    errors: list[BaseException] = []

    def upload(i: int) -> None:
        barrier.wait()
        try:
            save_dataset(workspace, files[i], f"upload-{i}.csv")
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(len(files))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    kept = {d.name: load_dataset_bytes(workspace, d.id) for d in list_datasets(workspace)}
    assert kept == {f"upload-{i}.csv": files[i] for i in range(len(files))}


def test_a_table_already_read_is_kept_with_the_users_roles_without_reading_it_again(
    workspace: Workspace, sample_bytes: bytes
) -> None:
    table = read_table(sample_bytes, name="customers.csv")
    profile = profile_table(table.frame, roles={"Region": Role.IGNORED})
    kept = keep_read_table(workspace, sample_bytes, table, profile)
    assert (kept.status, kept.rows, kept.columns, kept.label_column) == (READY, 5000, 15, "Churned")
    assert kept.roles == {"Region": "ignored"}
    assert kept.churned_value == "Yes"
    assert read_dataset(workspace, kept.id).profile.column("Region").role is Role.IGNORED
