"""The template file and its guide: every column is read as the guide says."""

from __future__ import annotations

from churn_core.datasets import (
    IGNORED_NOTES,
    get_template,
    get_template_csv,
    get_template_guide,
)
from churn_core.io import read_table
from churn_core.schema import ROLE_TITLES, Role, profile_table
from churn_core.survival import get_survival_data


def _profiled():  # type: ignore[no-untyped-def]
    table = read_table(get_template_csv(), name="template.csv")
    return table, profile_table(table.frame, warnings=table.warnings)


def test_every_template_column_is_detected_with_the_role_the_guide_gives_it() -> None:
    table, profile = _profiled()
    guide = get_template_guide()
    assert guide["Column"].tolist() == table.frame.columns.tolist()
    detected = {c: profile.roles[c].display_name for c in table.frame.columns}
    assert detected == dict(zip(guide["Column"], guide["Role"], strict=True))


def test_the_guide_covers_every_role_a_user_can_set() -> None:
    """Each role has a template column, but derived columns, which the closing notes explain
    (a template of a few rows is too small to show one being found)."""
    roles = set(get_template_guide()["Role"])
    assert roles == set(ROLE_TITLES.values()) - {ROLE_TITLES[Role.DERIVED]}
    assert any("computed from others" in note for note in IGNORED_NOTES)


def test_the_template_has_no_problems_one_row_per_customer_and_both_labels() -> None:
    table, profile = _profiled()
    assert profile.problems == []
    assert profile.column_for(Role.ID) == "CustomerID"
    assert table.frame["CustomerID"].is_unique
    assert set(table.frame["Churned"]) == {"Yes", "No"}
    # Customers who left have a churn date; those still with you have none.
    left = table.frame["Churned"].eq("Yes")
    assert table.frame.loc[left, "ChurnDate"].notna().all()
    assert table.frame.loc[~left, "ChurnDate"].isna().all()


def test_the_template_gives_durations_for_retention_as_its_tenure_says() -> None:
    table, profile = _profiled()
    data = get_survival_data(table.frame, profile)
    assert data.source.tenure_column == "TenureMonths"
    assert data.source.tenure_unit == "months"
    assert data.customers == len(get_template())
    assert data.truncation is None


def test_the_csv_reads_back_as_the_template_and_each_example_comes_from_it() -> None:
    table, _ = _profiled()
    template = get_template()
    assert get_template_csv().startswith(b"\xef\xbb\xbf")  # Excel reads accents right
    assert table.frame["CustomerID"].tolist() == template["CustomerID"].tolist()
    for _, row in get_template_guide().iterrows():
        assert row["Example"] in template[row["Column"]].astype(str).tolist()
    assert all(note.endswith(".") for note in IGNORED_NOTES)
