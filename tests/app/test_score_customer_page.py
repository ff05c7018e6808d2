"""The Score a customer page (AppTest): the form, the verdict, and files the model cannot score.

Submitting the forms and the what-if comparison are walked in a real browser
(tests/browser/test_score_customer_journey.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from churn_core.survival.clv import ClvAssumptions
from tests.app.waiting import wait_for_trainings
from ui.state import SAMPLE_PATH

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
VERDICT = re.compile(r"^### (High|Medium|Low) risk: (\d+)%$")


def _score_page(upload: tuple[str, bytes] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    if upload is not None:
        at.switch_page("pages/data.py").run()
        at.file_uploader[0].set_value((upload[0], upload[1], "text/csv")).run()
    return at.switch_page("pages/score_customer.py").run()


def _verdict(at: AppTest) -> tuple[str, int]:
    match = next(VERDICT.match(m.value) for m in at.markdown if VERDICT.match(m.value))
    assert match is not None
    return match.group(1), int(match.group(2))


def test_the_form_has_a_field_per_model_input_prefilled_with_a_typical_customer() -> None:
    at = _score_page()
    assert not at.exception
    fields = {
        w.label: w.value for w in [*at.number_input, *at.selectbox] if w.key.startswith("score:")
    }
    assert set(fields) == {
        "TenureMonths", "MonthlyCharges", "UsageTrendPct", "LoginsLast30d",
        "SupportTickets90d", "PaymentFailures12m", "Plan", "Contract", "PaymentMethod", "Region",
    }  # fmt: skip
    assert fields["Contract"] == "Month-to-month"  # the most common contract
    assert isinstance(fields["TenureMonths"], int)  # whole months stay whole
    band, percent = _verdict(at)
    assert band in {"High", "Medium", "Low"} and 0 <= percent <= 100
    text = "\n".join(m.value for m in at.markdown)
    assert "Of 100 customers like this one, about" in text
    assert "in sample\\_customers.csv" in text or "in sample_customers.csv" in text
    assert re.search(r"- Contract is Month\\-to\\-month \\\(\\\+\d+ pts\\\)", text)


def test_a_file_the_model_cannot_score_offers_training_instead_of_the_samples_form() -> None:
    at = _score_page(("other.csv", (BAD / "attrited_customer.csv").read_bytes()))
    assert not at.exception and not at.error
    assert not [w for w in [*at.number_input, *at.selectbox] if w.key.startswith("score:")]
    assert not at.get("plotly_chart")  # no gauge from the sample's model
    offer = at.info[0].value
    assert "No churn model has learned from **other.csv**'s columns yet." in offer
    assert "Scoring a customer needs one." in offer
    assert "Model in use" not in "\n".join(c.value for c in at.caption)


def test_training_from_the_offer_gives_the_files_own_form_and_model() -> None:
    at = _score_page(("other.csv", (BAD / "attrited_customer.csv").read_bytes()))
    at.button(key="train_offer").click().run()
    wait_for_trainings(at)
    assert not at.exception, at.exception
    fields = {w.label for w in [*at.number_input, *at.selectbox] if w.key.startswith("score:")}
    assert fields == {"Customer_Age", "Credit_Limit", "Total_Trans_Ct"}
    captions = "\n".join(c.value for c in at.caption)
    assert re.search(r"Model in use: model \d+ in the workspace, trained on other\.csv ", captions)
    _verdict(at)


def test_the_picked_customer_stays_picked_when_new_values_reorder_the_list() -> None:
    at = _score_page()
    at.radio(key="score_start").set_value("A customer from your data").run()
    picker = at.selectbox(key="score_customer_rank")
    picker.set_value(5).run()
    picked = picker.format_func(5)
    tenure = at.number_input(key="score:TenureMonths").value
    at.session_state["clv_assumptions"] = ClvAssumptions(horizon_months=1)  # next month only
    at.run()
    assert not at.exception
    picker = at.selectbox(key="score_customer_rank")
    assert picker.value != 5  # the list did reorder ...
    assert picker.format_func(picker.value) == picked  # ... and the same customer is shown
    sample = pd.read_csv(SAMPLE_PATH, index_col="CustomerID")
    assert at.number_input(key="score:TenureMonths").value == tenure
    assert tenure == sample.loc[picked, "TenureMonths"]


def test_only_customers_still_with_you_can_be_picked() -> None:
    frame = pd.read_csv(SAMPLE_PATH).head(300).assign(Churned="Yes")
    frame.loc[0, "Churned"] = "No"  # one customer still with us: a label with two values
    at = _score_page(("left.csv", frame.to_csv(index=False).encode()))
    assert not at.exception
    at.radio(key="score_start").set_value("A customer from your data").run()
    assert at.selectbox(key="score_customer_rank").options == [frame.loc[0, "CustomerID"]]
    assert "still with you in left.csv" in "\n".join(m.value for m in at.markdown)
