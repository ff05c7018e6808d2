"""Profile a customer table: each column's role with its reason, plus every problem at once.

``profile_table`` is the one place where roles are decided: detections from
:mod:`churn_core.schema.roles`, the user's overrides on top, one column per single role (id, label,
tenure, ...), label leaks excluded, and then validation. Problems stop churn modelling until
fixed; warnings are shown and the data is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from churn_core.errors import (
    ChurnDataError,
    DataWarning,
    Problem,
    example_rows,
    file_row_numbers,
    join_words,
    plural,
    verb,
)
from churn_core.schema.derived import Derivation, find_derived_columns
from churn_core.schema.label_checks import check_label
from churn_core.schema.labels import (
    LabelMapping,
    churn_indicator,
    display_value,
)
from churn_core.schema.leakage import LEAK_ACCURACY, single_column_accuracy
from churn_core.schema.log_profile import CUSTOMERS, LogSummary, profile_log
from churn_core.schema.log_roles import LogRole
from churn_core.schema.roles import (
    FEATURE_ROLES,
    SINGLE_ROLES,
    Detection,
    Role,
    describe_kind,
    detect_role,
    is_id_named,
)

HIGH_MISSING_SHARE = 0.5
#: Problems that stop training a model on the table but not scoring it with a model already
#: trained: that model reads only its own columns, and this month's customers have no label
#: yet (who leaves is what the list predicts). Every other problem stops both.
TRAINING_ONLY_PROBLEMS = frozenset(
    {
        "no_label",
        "label_empty",
        "label_one_class",
        "label_not_binary",
        "no_such_label_value",
        "no_features",
    }
)
_SINGLE_ROLE_ORDER = (
    Role.LABEL,
    Role.ID,
    Role.END_DATE,
    Role.SIGNUP_DATE,
    Role.TENURE,
    Role.REVENUE,
)


@dataclass
class ColumnProfile:
    """One column: its role, why, and a few facts the Data page shows."""

    name: str
    role: Role
    reason: str
    kind: str
    missing: int
    unique: int
    examples: list[str]
    set_by_user: bool = False
    #: When the column is (almost exactly) a function of others: how (see schema.derived).
    derived: Derivation | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "derived": None if self.derived is None else self.derived.to_dict(),
            "name": self.name,
            "role": self.role.value,
            "reason": self.reason,
            "kind": self.kind,
            "missing": self.missing,
            "unique": self.unique,
            "examples": self.examples,
            "set_by_user": self.set_by_user,
        }


@dataclass
class Profile:
    """What the table is: rows, column roles, label mapping, problems and warnings."""

    rows: int
    columns: list[ColumnProfile]
    label_mapping: LabelMapping | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[DataWarning] = field(default_factory=list)
    complete_rows: int = 0  # rows with every column filled (an end date may be empty)
    duplicate_rows: int = 0
    missing_cells: int = 0  # empty cells, not counting empty end dates
    checked_cells: int = 0  # the cells missing_cells is out of
    #: Columns that are about a function of others, sources before what is made of them.
    derived: list[Derivation] = field(default_factory=list)
    #: "customers" (one row each), or a log: "transactions" or "events" (see ``log``).
    shape: str = CUSTOMERS
    #: For a log: its roles with reasons, size and span (rolled up by churn_core.logs).
    log: LogSummary | None = None

    @property
    def roles(self) -> dict[str, Role]:
        return {c.name: c.role for c in self.columns}

    def column(self, name: str) -> ColumnProfile:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"No column named {name!r}.")

    def columns_with(self, *roles: Role) -> list[str]:
        return [c.name for c in self.columns if c.role in roles]

    def column_for(self, role: Role) -> str | None:
        """The column with this role (the first, for roles more than one column can have), or
        None when no column has it."""
        found = self.columns_with(role)
        return found[0] if found else None

    @property
    def label_column(self) -> str | None:
        return self.column_for(Role.LABEL)

    @property
    def id_column(self) -> str | None:
        return self.column_for(Role.ID)

    @property
    def feature_columns(self) -> list[str]:
        """The model's inputs: feature roles, less derived columns the user has not chosen."""
        return [
            c.name
            for c in self.columns
            if c.role in FEATURE_ROLES and (c.derived is None or c.set_by_user)
        ]

    @property
    def ok(self) -> bool:
        """True when nothing stops training a churn model on the table."""
        return not self.problems

    @property
    def scoring_problems(self) -> list[Problem]:
        """The problems that also stop scoring the table with a model already trained.

        A file without a churn label (or with an empty one, or one value only) is fine for
        scoring, not for training: ``problems`` lists everything that stops training.
        """
        return [p for p in self.problems if p.code not in TRAINING_ONLY_PROBLEMS]

    @property
    def can_score(self) -> bool:
        """True when a trained model can score the table (it may still lack the model's
        columns: see ``churn_core.model.check_columns``)."""
        return not self.scoring_problems

    def raise_for_problems(self) -> None:
        """Raise one ChurnDataError carrying every problem, if there are any."""
        if self.problems:
            raise ChurnDataError(list(self.problems), list(self.warnings))

    @property
    def is_log(self) -> bool:
        """True for a log (many dated rows per customer), rolled up before modelling."""
        return self.log is not None

    def to_frame(self) -> pd.DataFrame:
        """One row per column, in words: the table the Data page shows and lets users edit
        (for a log, each column's log role)."""
        log_roles = self.log.roles.columns if self.log is not None else {}
        return pd.DataFrame(
            {
                "Column": [c.name for c in self.columns],
                "Role": [
                    log_roles[c.name].display_name if c.name in log_roles else c.role.display_name
                    for c in self.columns
                ],
                "Why": [_why(c) for c in self.columns],
                "Type": [c.kind for c in self.columns],
                "Missing": [c.missing for c in self.columns],
                "Missing %": [c.missing / self.rows if self.rows else 0.0 for c in self.columns],
                "Different values": [c.unique for c in self.columns],
                "Examples": [", ".join(c.examples) for c in self.columns],
            }
        )

    def to_dict(self) -> dict[str, Any]:
        log = {} if self.log is None else {"log": self.log.to_dict()}
        return {
            "shape": self.shape,
            **log,
            "rows": self.rows,
            "columns": len(self.columns),
            "complete_rows": self.complete_rows,
            "duplicate_rows": self.duplicate_rows,
            "missing_cells": self.missing_cells,
            "checked_cells": self.checked_cells,
            "roles": (
                self.log.roles.to_dict()
                if self.log is not None
                else {c.name: c.role.value for c in self.columns}
            ),
            "label": None
            if self.label_mapping is None
            else {
                "column": self.label_column,
                "churned_value": self.label_mapping.churned_value,
                "stayed_value": self.label_mapping.stayed_value,
                "guessed": self.label_mapping.guessed,
            },
            "column_details": [c.to_dict() for c in self.columns],
            "derived": [d.to_dict() for d in self.derived],
            "problems": [p.to_dict() for p in self.problems],
            "warnings": [w.to_dict() for w in self.warnings],
            "can_score": self.can_score,
        }


def get_churned(frame: pd.DataFrame, profile: Profile) -> pd.Series | None:
    """True/False/NA per customer from the profile's label and mapping; None without a label."""
    label = profile.label_column
    if label is None or profile.label_mapping is None:
        return None
    return churn_indicator(frame[label], profile.label_mapping)


def profile_table(
    frame: pd.DataFrame,
    *,
    roles: Mapping[str, Role | str] | None = None,
    churned_value: str | None = None,
    warnings: Iterable[DataWarning] = (),
    log_roles: Mapping[str, LogRole | str] | None = None,
    shape: str | None = None,
    today: date | None = None,
) -> Profile:
    """Decide every column's role and collect every problem with the table.

    Parameters
    ----------
    frame : pd.DataFrame
        The cleaned table from :func:`churn_core.io.reading.read_table`.
    roles : mapping, optional
        The user's choices, column -> role; they win over detection.
    churned_value : str, optional
        Which of the label's two values means "left", when the user has said so.
    warnings : iterable of DataWarning
        Warnings from reading the file, kept in front of the profile's own.
    log_roles : mapping, optional
        For a log, the user's choices, column -> log role (see churn_core.schema.log_roles).
    shape : str, optional
        ``"customers"``, ``"transactions"`` or ``"events"`` when the user has said; detected
        otherwise. A log's profile holds its log roles and problems, not a customer table's.
    today : date, optional
        For a log, rows dated after it are reported (default: the day it runs).

    Returns
    -------
    Profile
        Never raises for data problems; call ``raise_for_problems`` where a clean table is needed.
    """
    log = profile_log(frame, log_roles=log_roles, shape=shape, today=today)
    if log is not None:
        return _profile_of_log(frame, log, warnings)
    user_roles = {str(k): Role(v) for k, v in (roles or {}).items() if k in frame.columns}
    problems: list[Problem] = []
    found = list(warnings)
    detections = {name: detect_role(frame[name], name) for name in frame.columns}
    chosen = _assign_roles(detections, user_roles)
    labels = [name for name, det in chosen.items() if det.role is Role.LABEL]
    mapping = check_label(frame, labels, churned_value, problems, found)
    if mapping is not None:
        churned = churn_indicator(frame[_label(chosen)], mapping)
        _exclude_leaks(frame, chosen, user_roles, churned, found)
    derived = _mark_derived(frame, chosen, user_roles)
    _check_user_roles(frame, chosen, user_roles, problems)
    _check_duplicate_ids(frame, chosen, detections, problems)
    _check_features(frame, chosen, problems, found)
    columns = [
        ColumnProfile(
            name=name,
            role=det.role,
            reason=det.reason,
            kind=describe_kind(frame[name]),
            missing=int(frame[name].isna().sum()),
            unique=int(frame[name].nunique()),
            examples=_examples(frame[name]),
            set_by_user=name in user_roles,
            derived=next((d for d in derived if d.column == name), None),
        )
        for name, det in chosen.items()
    ]
    duplicated = frame.duplicated().to_numpy(bool)
    if duplicated.any():
        found.append(
            DataWarning(
                f"{plural(int(duplicated.sum()), 'row')} exactly "
                f"{verb(int(duplicated.sum()), 'repeats', 'repeat')} an earlier row "
                f"(e.g. row {np.flatnonzero(duplicated)[0] + 2}); each copy counts as a customer.",
                rows=example_rows(np.flatnonzero(duplicated), numbers=file_row_numbers(frame)),
                fix="Remove repeated rows in the export if they are the same customer.",
                code="duplicate_rows",
            )
        )
    # An empty end date means "still a customer", not a gap in the data.
    missing = frame.drop(columns=[n for n, d in chosen.items() if d.role is Role.END_DATE]).isna()
    return Profile(
        len(frame),
        columns,
        mapping,
        problems,
        found,
        complete_rows=int((~missing.any(axis=1)).sum()),
        duplicate_rows=int(duplicated.sum()),
        missing_cells=int(missing.to_numpy().sum()),
        checked_cells=int(missing.size),
        derived=derived,
    )


def _why(column: ColumnProfile) -> str:
    """A column's reason as the Data page shows it; a derived column the user kept says so."""
    if not column.set_by_user:
        return column.reason
    if column.derived is not None and column.role in FEATURE_ROLES:
        return (
            f"you chose this; {column.derived.describe()}: kept in the model, never a lever or "
            "a reason to act on"
        )
    return "you chose this"


def _mark_derived(
    frame: pd.DataFrame, chosen: dict[str, Detection], user_roles: dict[str, Role]
) -> list[Derivation]:
    """Find derived columns (see schema.derived) and leave them out of the model: a number
    feature becomes Derived; a revenue column keeps its role (for customer value), out of the
    model. A column the user set keeps their role and stays in the model."""
    numbers = [n for n, d in chosen.items() if d.role in FEATURE_ROLES | {Role.DERIVED}]
    numbers = [n for n in numbers if describe_kind(frame[n]) == "number"]
    categories = [n for n, d in chosen.items() if d.role is Role.CATEGORICAL]
    tenure = [n for n, d in chosen.items() if d.role is Role.TENURE]
    found = find_derived_columns(
        frame, numbers, categories, protected=tenure, tenure=tenure[0] if tenure else None
    )
    for derivation in found:
        name = derivation.column
        if name in user_roles:
            continue
        why = f"{derivation.describe()}: no one changes it on its own, so the model leaves it out"
        if chosen[name].role is Role.REVENUE:
            chosen[name] = Detection(Role.REVENUE, f"{chosen[name].reason}; {why}")
        else:
            chosen[name] = Detection(Role.DERIVED, why)
    return found


def _profile_of_log(
    frame: pd.DataFrame, log: LogSummary, warnings: Iterable[DataWarning]
) -> Profile:
    """A log's profile: its customer column is the id, the other columns feed the roll-up
    (their log roles and reasons are in ``log``); a log's problems, not a customer table's."""
    columns = [
        ColumnProfile(
            name=name,
            role=Role.ID if role is LogRole.CUSTOMER else Role.IGNORED,
            reason=log.roles.reasons.get(name, ""),
            kind=describe_kind(frame[name]),
            missing=int(frame[name].isna().sum()),
            unique=int(frame[name].nunique()),
            examples=_examples(frame[name]),
            set_by_user=name in log.roles.set_by_user,
        )
        for name, role in log.roles.columns.items()
    ]
    missing = frame.isna()
    return Profile(
        len(frame),
        columns,
        None,
        list(log.problems),
        [*warnings, *log.warnings],
        complete_rows=int((~missing.any(axis=1)).sum()),
        missing_cells=int(missing.to_numpy().sum()),
        checked_cells=int(missing.size),
        shape=log.shape,
        log=log,
    )


def _assign_roles(
    detections: dict[str, list[Detection]], user_roles: dict[str, Role]
) -> dict[str, Detection]:
    chosen: dict[str, Detection] = {
        name: Detection(role, "set by you") for name, role in user_roles.items()
    }
    taken = set(user_roles.values())
    for role in _SINGLE_ROLE_ORDER:
        if role in taken:
            continue
        candidates = [
            (det.score, -i, name, det)
            for i, (name, dets) in enumerate(detections.items())
            for det in dets
            if det.role is role and name not in chosen and det.score >= 1
        ]
        if candidates:
            _, _, name, det = max(candidates, key=lambda c: (c[0], c[1]))
            chosen[name] = det
    for name, dets in detections.items():
        if name in chosen:
            continue
        if any(d.role is Role.ID and d.score >= 1 for d in dets):  # lost to a better id
            chosen[name] = Detection(
                Role.IGNORED, "unique for every row: an identifier, not a customer property"
            )
        else:
            chosen[name] = dets[-1]
    return {name: chosen[name] for name in detections}


def _label(chosen: dict[str, Detection]) -> str:
    return next(name for name, det in chosen.items() if det.role is Role.LABEL)


def _exclude_leaks(
    frame: pd.DataFrame,
    chosen: dict[str, Detection],
    user_roles: dict[str, Role],
    churned: pd.Series,
    warnings: list[DataWarning],
) -> None:
    for name, det in chosen.items():
        if det.role not in FEATURE_ROLES:
            continue
        accuracy = single_column_accuracy(frame[name], churned)
        if accuracy is None or accuracy < LEAK_ACCURACY:
            continue
        why = (
            f"alone tells who left with {accuracy:.1%} accuracy: probably recorded after "
            "the customer left (a leak)"
        )
        label = _label(chosen)
        if name in user_roles:
            warnings.append(
                DataWarning(
                    f"{name} {why}; you chose to use it, so expect the model to look better than "
                    "it will be on future customers.",
                    column=name,
                    fix=f'Set {name} to "Ignored" unless it is known before a customer leaves.',
                    code="leak_kept",
                )
            )
            continue
        chosen[name] = Detection(Role.IGNORED, why)
        warnings.append(
            DataWarning(
                f"{name} was left out of the model: it {why}.",
                column=name,
                fix=f"If {name} is known before a customer leaves, set its role back on the Data "
                f"page; otherwise nothing to do ({label} is what we predict).",
                code="leak",
            )
        )


_KIND_RULES = {
    Role.NUMERIC: ({"number", "yes/no"}, "a number"),
    Role.DERIVED: ({"number"}, "a number"),
    Role.TENURE: ({"number"}, "a number (a duration)"),
    Role.REVENUE: ({"number"}, "a number (money per month)"),
    Role.SIGNUP_DATE: ({"date"}, "a date"),
    Role.END_DATE: ({"date"}, "a date"),
}


def _check_user_roles(
    frame: pd.DataFrame,
    chosen: dict[str, Detection],
    user_roles: dict[str, Role],
    problems: list[Problem],
) -> None:
    for role in SINGLE_ROLES:
        names = [n for n, r in user_roles.items() if r is role]
        if len(names) > 1:
            problems.append(
                Problem(
                    f"Only one column can be the {role.display_name.lower()}; you chose "
                    f"{join_words(names)}.",
                    fix="Keep one and set the others to another role.",
                    code="role_twice",
                )
            )
    for name, role in user_roles.items():
        if role not in _KIND_RULES:
            continue
        kinds, wanted = _KIND_RULES[role]
        kind = describe_kind(frame[name])
        if kind not in kinds:
            shown = _examples(frame[name])[:1]
            problems.append(
                Problem(
                    f"{name} must be {wanted} to be the {role.display_name.lower()}; "
                    f"it holds {kind}" + (f' such as "{shown[0]}".' if shown else "."),
                    column=name,
                    fix="Choose another role for it, or fix the values in the file.",
                    code="role_kind",
                )
            )


def _check_duplicate_ids(
    frame: pd.DataFrame,
    chosen: dict[str, Detection],
    detections: dict[str, list[Detection]],
    problems: list[Problem],
) -> None:
    for name, det in chosen.items():
        if det.role is not Role.ID and not (is_id_named(name) and det.role is not Role.LABEL):
            continue
        series = frame[name]
        repeated = series[series.notna() & series.duplicated(keep=False)]
        if repeated.empty:
            continue
        value = repeated.iloc[0]
        where = np.flatnonzero(series.eq(value).to_numpy(bool))
        problems.append(
            Problem(
                f"{name} should name each customer once, but "
                f"{plural(int(repeated.nunique()), 'value')} "
                f"{verb(int(repeated.nunique()), 'appears', 'appear')} more than once, e.g. "
                f'"{display_value(value)}" on rows {where[0] + 2} and {where[1] + 2}.',
                column=name,
                rows=example_rows(where, numbers=file_row_numbers(frame)),
                fix="Remove the duplicate rows so there is one row per customer, or set "
                f'{name} to "Ignored" if it is not a customer id.',
                code="duplicate_ids",
            )
        )


def _check_features(
    frame: pd.DataFrame,
    chosen: dict[str, Detection],
    problems: list[Problem],
    warnings: list[DataWarning],
) -> None:
    features = [n for n, d in chosen.items() if d.role in FEATURE_ROLES]
    if not features:
        problems.append(
            Problem(
                "None of the columns can be used to predict churn: each is an id, the label, a "
                "date, personal data, constant or free text.",
                fix="Add columns that describe customers (plan, usage, charges, tenure...) or set "
                "a column's role to a feature on the Data page.",
                code="no_features",
            )
        )
    for name in features:
        share = frame[name].isna().mean()
        if share > HIGH_MISSING_SHARE:
            warnings.append(
                DataWarning(
                    f"{name} is blank for {share:.0%} of customers; it is used, but tells little.",
                    column=name,
                    fix="Fill it in the source system if you can.",
                    code="mostly_blank",
                )
            )


def _examples(series: pd.Series, n: int = 3) -> list[str]:
    values = series.dropna().drop_duplicates().iloc[:n]
    if pd.api.types.is_datetime64_any_dtype(values):
        return [v.strftime("%Y-%m-%d") for v in values]
    return [display_value(v)[:40] for v in values]


def describe_roles(profile: Profile) -> str:
    """The detected roles as a short paragraph a business user can check at a glance."""
    parts = []
    label = profile.label_column
    if label and profile.label_mapping is not None:
        parts.append(f'**{label}** says who left ("{profile.label_mapping.churned_value}" = left)')
    elif label:
        parts.append(f"**{label}** is the churn label")
    else:
        parts.append("**no churn label** yet")
    if profile.id_column:
        parts.append(f"**{profile.id_column}** identifies customers")
    for role, words in (
        (Role.TENURE, "is tenure"),
        (Role.REVENUE, "is monthly revenue"),
        (Role.SIGNUP_DATE, "is the signup date"),
        (Role.END_DATE, "is the end date"),
    ):
        for name in profile.columns_with(role):
            parts.append(f"**{name}** {words}")
    features = profile.feature_columns
    ignored = profile.columns_with(Role.IGNORED)
    text = "Found: " + "; ".join(parts) + "."
    text += f" **{len(features)}** columns are used as features"
    if ignored:
        shown = ", ".join(ignored[:6]) + (
            f" and {len(ignored) - 6} more" if len(ignored) > 6 else ""
        )
        text += f"; **{len(ignored)}** ignored ({shown})"
    return text + "."
