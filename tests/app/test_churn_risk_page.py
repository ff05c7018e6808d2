"""The Churn risk page (AppTest): default model, policies, and files it cannot score.

Training by button is walked in a real browser (tests/browser/test_churn_risk_journey.py).
"""

from __future__ import annotations

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


def test_a_file_the_model_cannot_score_says_which_columns_differ() -> None:
    at = _risk_page(("other.csv", (BAD / "attrited_customer.csv").read_bytes()))
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    assert "This file's columns don't match the saved model. Missing:" in errors


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
        caption = next(c.value for c in at.caption if "ranked by expected value" in c.value)
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
