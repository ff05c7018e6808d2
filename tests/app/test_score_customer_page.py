"""The Score a customer page (AppTest): the form, the verdict, and files the model cannot score.

Submitting the forms and the what-if comparison are walked in a real browser
(tests/browser/test_score_customer_journey.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

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


def test_a_file_the_model_cannot_score_still_scores_a_typed_customer() -> None:
    at = _score_page(("other.csv", (BAD / "attrited_customer.csv").read_bytes()))
    assert not at.exception
    assert [r.options for r in at.radio if r.key == "score_start"] == [["A typical customer"]]
    text = "\n".join(m.value for m in at.markdown)
    assert "among the customers the model was tested on" in text
    _verdict(at)
