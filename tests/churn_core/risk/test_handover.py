"""The list handed over: ranks 1..n after any filter, the user's own columns carried in, the
workbook's headers, formats and "About this list" sheet, and what it is ranked by."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.errors import ChurnDataError
from churn_core.io.export import ABOUT_SHEET, to_csv_bytes
from churn_core.model.churn_model import ChurnModel
from churn_core.model.policies import CAPACITY, Policy
from churn_core.risk import AtRiskList, add_segments, get_at_risk_list
from churn_core.risk.handover import (
    carry_columns,
    carry_columns_from_file,
    describe_filters,
    describe_ranking,
    filter_list,
    get_handover_facts,
    rerank,
    to_handover_workbook,
)

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_customers.csv"
MADE = datetime(2026, 3, 2, 9, 30)


@pytest.fixture(scope="module")
def at_risk(model: ChurnModel, frame: pd.DataFrame) -> AtRiskList:
    listed = get_at_risk_list(model, frame)
    segments = np.where(frame["Contract"] == "Month-to-month", "Monthly", "Contract")
    return add_segments(listed, segments)


@pytest.mark.parametrize(
    ("bands", "segments", "top"),
    [
        (["High"], None, None),
        (["Medium"], None, None),
        (["Low"], None, 40),
        (["High", "Low"], None, None),
        (None, ["Contract"], None),
        (["High"], ["Monthly"], 25),
        (None, None, 10),
    ],
)
def test_ranks_run_from_1_to_n_after_any_filter(
    at_risk: AtRiskList, bands: list[str] | None, segments: list[str] | None, top: int | None
) -> None:
    listed = filter_list(at_risk, bands=bands, segments=segments, top=top)
    assert listed[col.RANK].tolist() == list(range(1, len(listed) + 1))
    assert len(listed) > 0
    if bands:
        assert set(listed[col.RISK_BAND]) <= set(bands)
    if segments:
        assert set(listed[col.SEGMENT]) <= set(segments)
    # the order is the list's own: value at risk, then probability
    original = at_risk.frame.set_index("CustomerID")[col.RANK]
    assert original.loc[listed["CustomerID"]].is_monotonic_increasing


def test_rerank_orders_by_the_old_rank_and_numbers_from_1() -> None:
    frame = pd.DataFrame({"id": ["c", "a", "b"], col.RANK: [9, 2, 5]})
    assert rerank(frame).to_dict("list") == {"id": ["a", "b", "c"], col.RANK: [1, 2, 3]}
    assert rerank(frame.iloc[:0])[col.RANK].tolist() == []


def test_carried_columns_follow_the_contract_and_belong_to_each_customer(
    at_risk: AtRiskList, frame: pd.DataFrame
) -> None:
    carried = carry_columns(at_risk, frame, ["Email", "Plan", "CustomerID", "Region"])
    listed = filter_list(carried, bands=["High"])
    assert list(listed.columns) == ["CustomerID", *col.AT_RISK_COLUMNS, "Email", "Plan", "Region"]
    truth = frame.set_index("CustomerID")
    for _, row in listed.iterrows():
        assert row["Email"] == truth.loc[row["CustomerID"], "Email"]
        assert row["Plan"] == truth.loc[row["CustomerID"], "Plan"]
    header = to_csv_bytes(listed).decode("utf-8-sig").splitlines()[0]
    assert header == ",".join(["CustomerID", *col.AT_RISK_COLUMNS, "Email", "Plan", "Region"])


def test_a_carried_column_named_like_the_lists_own_keeps_both(
    at_risk: AtRiskList, frame: pd.DataFrame
) -> None:
    own = frame.assign(segment=frame["Region"])
    carried = carry_columns(at_risk, own, ["segment"])
    assert list(carried.frame.columns)[-1] == "segment (your file)"
    assert (carried.frame[col.SEGMENT].isin(["Monthly", "Contract"])).all()


def test_carrying_from_the_file_in_chunks_equals_carrying_from_the_table(
    model: ChurnModel, at_risk: AtRiskList, frame: pd.DataFrame
) -> None:
    from_frame = carry_columns(at_risk, frame, ["Email", "MonthlyCharges"]).frame
    from_file = carry_columns_from_file(
        at_risk, SAMPLE, ["Email", "MonthlyCharges"], chunk_rows=700
    )
    pd.testing.assert_frame_equal(from_file.frame, from_frame, check_dtype=False)


def test_carrying_a_column_the_file_lacks_names_it(
    at_risk: AtRiskList, frame: pd.DataFrame
) -> None:
    with pytest.raises(ChurnDataError) as caught:
        carry_columns(at_risk, frame, ["Email", "Phone"])
    assert str(caught.value).startswith("There is no column 'Phone' to carry into the list")


def test_the_workbook_has_friendly_headers_formats_and_the_facts_about_the_list(
    model: ChurnModel, at_risk: AtRiskList, frame: pd.DataFrame
) -> None:
    carried = carry_columns(at_risk, frame, ["Email"])
    listed = filter_list(carried, bands=["High"], top=100)
    facts = get_handover_facts(
        model,
        carried,
        listed,
        data_name="crm_export_march.csv",
        currency="EUR",
        filters=describe_filters(["High"], None, 100),
        made_at=MADE,
    )
    book = openpyxl.load_workbook(io.BytesIO(to_handover_workbook(listed, facts)))
    assert book.sheetnames == ["At-risk customers", ABOUT_SHEET]
    sheet = book["At-risk customers"]
    headers = [c.value for c in sheet[1]]
    assert headers == [
        "CustomerID",
        "Rank",
        "Churn probability",
        "Risk band",
        "Expected value at risk (EUR)",
        "Customer value (EUR)",
        "Segment",
        "Reason 1",
        "Reason 2",
        "Reason 3",
        "Recommended action",
        "Email",
    ]
    assert sheet.max_row == 101 and sheet.cell(101, 2).value == 100
    formats = {h: sheet.cell(2, i + 1).number_format for i, h in enumerate(headers)}
    assert formats["Churn probability"] == "0.0%"
    assert formats["Expected value at risk (EUR)"] == formats["Customer value (EUR)"]
    assert formats["Customer value (EUR)"] == '"€"#,##0.00'
    assert sheet.cell(2, 3).value == pytest.approx(listed[col.CHURN_PROBABILITY].iloc[0])
    about = dict(book[ABOUT_SHEET].iter_rows(min_row=2, values_only=True))
    assert about["Data"] == "crm_export_march.csv"
    assert about["List made"] == "2026-03-02 09:30"
    assert about["Customers in this list"] == "100 (High band only, the first 100)"
    assert about["Model"].startswith(f"{model.name}, learned from 4,000 customers")
    assert about["Model quality"].startswith("Catches ")
    assert about["Trained"].startswith(model.card["trained_at"][:10])
    assert about["Who is flagged (High)"] == (
        f"customers with a churn probability of {model.threshold:.0%} or more"
    )
    assert about["CLV assumptions"] == "60% margin, 10% a year discount, 36-month horizon"
    assert about["Currency"] == "EUR"
    assert about["Order"].startswith("Ranked by expected value at risk")
    assert "30 % means about 3 in 10" in about["How to read a churn probability"]
    assert "(+12 pts)" in about["How to read a reason"]
    assert about["Not in the list"].startswith("1,250 customers who already left")
    expected = float(listed[col.CHURN_PROBABILITY].sum())
    assert about["Expected to leave"].startswith(f"about {expected:,.0f} of them")


def test_a_capacity_policy_states_its_cutoff(model: ChurnModel, frame: pd.DataFrame) -> None:
    listed = get_at_risk_list(model, frame, policy=Policy(CAPACITY, capacity=300))
    facts = get_handover_facts(
        model, listed, listed.frame, data_name="x", policy=Policy(CAPACITY, capacity=300)
    )
    assert facts.policy == "the top 300 customers"  # ranked by value, so no one cut-off
    assert facts.currency is None
    assert dict(facts.rows())["Currency"] == "not set: amounts are plain numbers"


def test_without_revenue_the_list_says_it_is_ranked_by_probability(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    card = {**model.card, "value": {"revenue_column": None, "months": 12, "kind": "months"}}
    plain = replace(model, card=card)
    listed = get_at_risk_list(plain, frame)
    assert listed.frame[col.CUSTOMER_VALUE].isna().all()
    assert listed.frame[col.CHURN_PROBABILITY].is_monotonic_decreasing
    reading = describe_ranking(listed)
    assert reading == (
        "Ranked by churn probability, highest first: this data has no monthly revenue column, "
        "so customer value and expected value at risk are empty."
    )
    facts = get_handover_facts(plain, listed, listed.frame, data_name="x", made_at=MADE)
    about = dict(facts.rows())
    assert about["Order"] == reading
    assert about["CLV assumptions"] == "not used: no monthly revenue column"


def test_customers_without_a_value_are_said_to_come_last(at_risk: AtRiskList) -> None:
    frame = at_risk.frame.copy()
    frame.loc[frame.index[-5:], col.CUSTOMER_VALUE] = np.nan
    assert describe_ranking(replace(at_risk, frame=frame)).endswith(
        "5 customers without a value (blank revenue) come after the others, by churn probability."
    )
