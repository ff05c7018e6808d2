"""The Churn risk page (AppTest): default model, policies, and files it cannot score.

Training by button is walked in a real browser (tests/browser/test_churn_risk_journey.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from churn_core.explain.contributions import ChurnExplainer, describe_reason, get_top_reasons
from churn_core.model.bundle import load_model
from churn_core.survival.clv import ClvAssumptions
from ui.state import SAMPLE_PATH

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"


def _risk_page(upload: tuple[str, bytes] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    if upload is not None:
        at.switch_page("pages/data.py").run()
        at.file_uploader[0].set_value((upload[0], upload[1], "text/csv")).run()
    return at.switch_page("pages/churn_risk.py").run()


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error]
    parts += [s.value for s in at.success] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_the_sample_opens_with_the_bundled_model_and_its_flagged_customers() -> None:
    at = _risk_page()
    assert not at.exception
    text = _text(at)
    assert "Model in use** (the bundled model, trained on the sample data)" in text
    assert "customers flagged. This list of" in text
    assert len(at.get("download_button")) == 2  # CSV and Excel


def test_the_list_counts_those_who_already_left_and_ranks_the_others() -> None:
    at = _risk_page()
    captions = [c.value for c in at.caption]
    assert (
        '1,250 customers who already left (Churned = "Yes") are not in the list. The list '
        "ranks the other 3,750 customers: there is no one left to keep among those who left."
    ) in captions
    listed = _list_on_screen(at)
    sample = pd.read_csv(SAMPLE_PATH)
    assert not listed["CustomerID"].isin(sample.loc[sample["Churned"] == "Yes", "CustomerID"]).any()
    at.radio(key="policy_kind").set_value("capacity").run()
    assert at.number_input(key="capacity").max == 3_750  # no more than are still with you


def test_a_capacity_flags_exactly_that_many_customers() -> None:
    at = _risk_page()
    at.radio(key="policy_kind").set_value("capacity").run()
    at.number_input(key="capacity").set_value(250).run()
    assert not at.exception
    assert "250 customers flagged. This list of 250 holds about" in _text(at)


def test_a_file_the_model_cannot_score_offers_training_and_shows_nothing_of_that_model() -> None:
    at = _risk_page(("other.csv", (BAD / "attrited_customer.csv").read_bytes()))
    assert not at.exception
    assert not at.error  # a normal case, never red
    assert "No churn model has learned from **other.csv**'s columns yet." in at.info[0].value
    assert "Press **Train on this data**" in at.info[0].value
    train = next(b for b in at.button if b.label == "Train on this data")
    assert not train.disabled
    text = _text(at)
    assert "Model in use" not in text and "bundled" not in text
    assert not at.tabs and not at.dataframe  # no list, no quality, no reasons


def test_a_file_without_a_label_cannot_be_trained_on_and_says_why() -> None:
    at = _risk_page(("nolabel.csv", (BAD / "no_label.csv").read_bytes()))
    assert not at.exception
    assert at.button[0].disabled
    assert "No churn label found" in "\n".join(e.value for e in at.error)


def test_the_drivers_tab_and_the_first_customers_reasons_are_shown() -> None:
    at = _risk_page()
    assert not at.exception
    assert [t.label for t in at.tabs] == [
        "At-risk customers",
        "Why customers leave",
        "How good is the model",
    ]
    assert any(s.value.startswith("Why CustomerID C") for s in at.subheader)
    assert at.selectbox(key="driver_column").value == "Contract"  # the strongest driver first
    text = _text(at)
    assert "What moves churn risk across 2,000 of your customers." in text
    assert "**Suggested action:**" in "\n".join(i.value for i in at.info)


def test_the_list_can_be_narrowed_to_one_segment() -> None:
    at = _risk_page()
    segment = next(s for s in at.selectbox if s.label == "Show segment")
    assert segment.value == "All segments" and len(segment.options) >= 3  # all + 2 or more

    def shown() -> int:
        caption = next(c.value for c in at.caption if "Ranked by expected value" in c.value)
        return int(caption.split()[0].replace(",", ""))

    everyone = shown()
    segment.set_value(segment.options[1]).run()
    assert not at.exception
    assert 0 < shown() < everyone


def test_reasons_stay_with_their_customer_when_the_value_assumptions_reorder_the_list() -> None:
    at = _risk_page()
    before = _list_on_screen(at)
    at.session_state["clv_assumptions"] = ClvAssumptions(horizon_months=1)  # next month only
    at.run()
    assert not at.exception
    after = _list_on_screen(at)
    assert list(after["CustomerID"]) != list(before["CustomerID"])  # the order really changed

    model = load_model(ROOT / "models" / "default")
    sample = pd.read_csv(SAMPLE_PATH, index_col="CustomerID")
    top = after.head(20)
    explanation = ChurnExplainer(model).explain(sample.loc[top["CustomerID"]].reset_index())
    own = [describe_reason(*found[0]) for found in get_top_reasons(explanation, n=1)]
    assert list(top["top_reason_1"]) == own


def _list_on_screen(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "top_reason_1" in d.value.columns)


def test_the_model_quality_reads_as_a_sentence_with_the_numbers_for_analysts() -> None:
    at = _risk_page()
    analysts = next(e for e in at.expander if e.label == "For analysts")
    behind = {m.value for m in analysts.markdown}
    plain = "\n".join(m.value for m in at.markdown if m.value not in behind)
    assert "**Catches 5 of 10 leavers in its riskiest 20 % of customers" in plain
    assert not {"ROC-AUC", "PR-AUC", "Brier", "F1"} & set(re.findall(r"[\w-]+", plain))
    assert "ROC-AUC" in "\n".join(behind)  # jargon only behind the analysts' expander
    shown = analysts.dataframe[0].value
    assert {"ROC-AUC", "PR-AUC", "Brier", "F1"} <= set(shown.columns)
    assert len(analysts.get("plotly_chart")) == 5  # ROC, gains, PR, calibration, confusion


def test_only_where_an_offer_pays_reads_as_money() -> None:
    at = _risk_page()
    at.radio(key="policy_kind").set_value("profit").run()
    at.number_input(key="offer_cost").set_value(50.0).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) >= {"Customers kept", "Cost of the offers", "Value kept", "Net"}
    flagged = int(re.search(r"([\d,]+) customers flagged", _text(at)).group(1).replace(",", ""))
    assert metrics["Cost of the offers"] == f"{50 * flagged:,}"
    assert re.search(r"Offering to the [\d,]+ flagged customers costs [\d,]+; about", _text(at))
    at.text_input(key="list_currency").set_value("EUR").run()
    assert {m.label: m.value for m in at.metric}["Cost of the offers"] == f"€{50 * flagged:,}"


def test_any_other_policy_can_be_priced_in_its_expander() -> None:
    at = _risk_page()
    priced = next(e for e in at.expander if e.label.startswith("What would an offer to these"))
    labels = [m.label for m in priced.metric]
    assert labels == ["Customers kept", "Cost of the offers", "Value kept", "Net"]
    assert priced.markdown[-1].value.startswith("Offering to the ")


def test_a_band_filter_ranks_the_list_from_one_and_carries_the_users_own_columns() -> None:
    at = _risk_page()
    bands = next(m for m in at.multiselect if m.label == "Show risk bands")
    bands.set_value(["Medium"]).run()
    carry = next(m for m in at.multiselect if m.label == "Add your own columns to the list")
    assert "CustomerID" not in carry.options  # already the list's first column
    carry.set_value(["Email", "Plan"]).run()
    assert not at.exception
    listed = _list_on_screen(at)
    assert listed["rank"].tolist() == list(range(1, len(listed) + 1))
    assert set(listed["risk_band"]) == {"Medium"}
    assert list(listed.columns[-2:]) == ["Email", "Plan"]
    sample = pd.read_csv(SAMPLE_PATH, index_col="CustomerID")
    own = sample.loc[listed["CustomerID"], "Email"].to_numpy()
    assert (listed["Email"].to_numpy() == own).all()
    captions = [c.value for c in at.caption]
    assert any(
        c.startswith(f"{len(listed):,} customers. Ranked by expected value at risk")
        for c in captions
    )
