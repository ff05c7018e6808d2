"""Advice a retention manager can follow, on the pages (AppTest), on the IBM telecom file: derived
columns shown and kept by choice on the Data page; what-if suggestions that move only levers in
their direction; a typed-in discount on a price the model cannot separate from its services,
explained instead of believed; the lever table driving the what-if; derived columns never a
reason; the card's derived columns. The typical customer is one thing everywhere (the sample).

Walked in a real browser in tests/browser/test_what_if_journey.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from churn_core import columns as col
from churn_core.explain import get_typical_customer, guess_levers, read_levers
from churn_core.model import ChurnModel, load_model
from churn_core.schema.levers import allows
from churn_core.workspace import list_models, load_registered_model, open_workspace
from tests.app.waiting import wait_for_trainings
from tests.churn_core.public_like import telecom_path

ROOT = Path(__file__).resolve().parents[2]
VERDICT = re.compile(r"^### (High|Medium|Low) risk: (\d+)%$")
#: "switching Contract to Two year" / "changing Fee from 70 to 50", as ``describe_moves`` says.
MOVE = re.compile(r"(?:switching (\w+) to ([^,]+?)|changing (\w+) from ([\d.,]+) to ([\d.,]+))"
                  r"(?= and | lowers )")  # fmt: skip
DERIVED = {"MonthlyCharges", "TotalCharges"}
#: The first 3,000 customers of the telecom file: the same columns, quicker to train on.
ROWS = 3_000


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [s.value for s in at.success] + [i.value for i in at.info]
    parts += [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def _model(at: AppTest) -> ChurnModel:
    """The model the app scores with: the newest in use in the test's workspace."""
    assert not at.exception, at.exception
    workspace = open_workspace()
    try:
        in_use = max((m for m in list_models(workspace) if m.in_use), key=lambda m: m.id)
        return load_registered_model(workspace, in_use.id)
    finally:
        workspace.close()


def _fields(at: AppTest, prefix: str) -> dict[str, Any]:
    widgets = [*at.number_input, *at.selectbox]
    return {w.label: w.value for w in widgets if w.key and w.key.startswith(f"{prefix}:")}


@pytest.fixture(scope="module")
def telecom() -> AppTest:
    """The telecom file uploaded and trained on from Score a customer's offer."""
    raw = pd.read_csv(telecom_path()).head(ROWS).to_csv(index=False).encode()
    at = _app()
    at.switch_page("pages/data.py").run()
    at.file_uploader[0].set_value(("telecom.csv", raw, "text/csv")).run()
    at.switch_page("pages/score_customer.py").run()
    at.button(key="train_offer").click().run()
    assert not at.exception, at.exception
    return wait_for_trainings(at)


def test_the_typical_customer_is_the_waterfalls_first_bar_with_the_same_risk() -> None:
    at = _app().switch_page("pages/score_customer.py").run()
    assert not at.exception
    typical = get_typical_customer(load_model(ROOT / "models" / "default"))
    verdict = next(VERDICT.match(m.value) for m in at.markdown if VERDICT.match(m.value))
    assert verdict is not None and int(verdict.group(2)) == round(100 * typical.probability)
    fields = _fields(at, "score")
    for column, value in typical.values.items():
        assert fields[column] == (value if isinstance(value, str) else pytest.approx(value))
    assert at.radio(key="score_start").help == typical.help
    assert f"A typical customer's risk ({typical.probability:.0%})" in _texts(at)


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_suggestions_on_the_telecom_file_move_only_levers_in_their_direction(
    telecom: AppTest,
) -> None:
    at = telecom
    at.switch_page("pages/score_customer.py").run()
    at.radio(key="score_start").set_value("A customer from your data").run()
    model = _model(at)
    levers = read_levers(guess_levers(model), model)
    assert not DERIVED & set(_fields(at, "score"))  # not in the form, and said why
    assert "Not in the form: **MonthlyCharges**, **TotalCharges**." in _texts(at)
    suggested = 0
    for rank in range(8):  # the eight riskiest customers
        at.selectbox(key="score_customer_rank").set_value(rank).run()
        assert not at.exception
        form = _fields(at, "score")
        said = [s.value for s in at.success if "Smallest change that lowers the band" in s.value]
        if not said:
            assert [i.value for i in at.info if "No move open to you" in i.value]  # never silent
            continue
        suggested += 1
        moves = MOVE.findall(said[0].replace("\\", ""))
        assert moves, said[0]
        for switched, to, changed, old, new in moves:
            column = switched or changed
            assert column in levers and column not in DERIVED
            before, after = (form[column], to) if switched else (float(old), float(new))
            assert allows(levers[column].direction, before, after), (column, before, after)
    assert suggested


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_the_lever_table_drives_the_what_if(telecom: AppTest) -> None:
    at = telecom
    at.switch_page("pages/score_customer.py").run()
    at.radio(key="score_start").set_value("A customer from your data").run()
    at.selectbox(key="score_customer_rank").set_value(0).run()
    assert "switching Contract to" in _what_if_advice(at)
    plans = at.session_state["action_plan"]
    for key, (levers, actions) in plans.items():  # the user unticks Contract as a lever
        levers = levers.copy()
        levers.loc[levers["column"] == "Contract", "actionable"] = False
        plans[key] = (levers, actions)
    at.session_state["action_plan"] = plans
    at.run()
    assert not at.exception
    advice = _what_if_advice(at)
    assert advice and "Contract" not in advice


def _what_if_advice(at: AppTest) -> str:
    """The what-if's suggestion, or why there is none."""
    said = [s.value for s in at.success if "Smallest change" in s.value]
    said += [i.value for i in at.info if not i.value.startswith("**Suggested action")]
    return "\n".join(said)


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_a_derived_column_is_shown_and_can_be_kept_on_the_data_page(telecom: AppTest) -> None:
    at = telecom
    at.switch_page("pages/data.py").run()
    at.selectbox(key="role_column").set_value("TotalCharges").run()
    caption = _texts(at)
    assert "TotalCharges is a running total: about tenure x MonthlyCharges: no one changes it" in (
        caption.replace("\\", "")
    )
    roles = next(d.value for d in at.dataframe if "Why" in d.value.columns).set_index("Column")
    assert roles.loc["TotalCharges", "Role"] == "Derived from other columns (left out of the model)"
    at.selectbox(key="role_column").set_value("MonthlyCharges").run()
    keep = next(b for b in at.button if b.label == "Keep MonthlyCharges in the model")
    keep.click().run()
    assert not at.exception
    roles = next(d.value for d in at.dataframe if "Why" in d.value.columns).set_index("Column")
    assert roles.loc["MonthlyCharges", "Role"] == "Monthly revenue"  # still what they are worth
    assert roles.loc["MonthlyCharges", "Why"].startswith(
        "you chose this; MonthlyCharges is about a sum of fixed amounts for each value of"
    )
    assert [b for b in at.button if b.label == "Leave it out again"]


def _keep_monthly_charges(at: AppTest) -> None:
    """As a user would: keep MonthlyCharges in the model (Data page), then train again."""
    if "MonthlyCharges" in _model(at).schema.derived:
        return
    at.switch_page("pages/data.py").run()
    at.selectbox(key="role_column").set_value("MonthlyCharges").run()
    keep = [b for b in at.button if b.label == "Keep MonthlyCharges in the model"]
    if keep:
        keep[0].click().run()
    at.switch_page("pages/churn_risk.py").run()
    next(b for b in at.button if b.label == "Train on this data").click().run()
    wait_for_trainings(at)
    next(b for b in at.button if b.label == "Put the new model in use").click().run()
    assert not at.exception, at.exception
    assert "MonthlyCharges" in _model(at).schema.derived


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_a_typed_discount_on_a_kept_price_is_explained_not_believed(telecom: AppTest) -> None:
    at = telecom
    _keep_monthly_charges(at)
    at.switch_page("pages/score_customer.py").run()
    at.radio(key="score_start").set_value("A customer from your data").run()
    for rank in range(20):  # the riskiest customer without StreamingTV
        at.selectbox(key="score_customer_rank").set_value(rank).run()
        if _fields(at, "score")["StreamingTV"] == "No":
            break
    price = at.number_input(key="what_if:MonthlyCharges").value
    at.number_input(key="what_if:MonthlyCharges").set_value(round(price - 20, 2))
    at.button(key="FormSubmitter:what_if_form-Compare").click().run()
    assert not at.exception
    summary = next(m.value for m in at.markdown if m.value.startswith("**Before "))
    before, after = (int(p) for p in re.findall(r"(\d+)% \(", summary))
    (note,) = [w.value.replace("\\", "") for w in at.warning if "describes no real" in w.value]
    assert f"takes their risk from {before}% to {after}% in this model, but MonthlyCharges" in note
    assert "the model cannot tell price apart from what it pays for, so a discount alone" in note
    assert after > before  # the case: the model says a discount raises risk

    # A service added instead: the price follows it
    at.number_input(key="what_if:MonthlyCharges").set_value(price)
    at.selectbox(key="what_if:StreamingTV").set_value("Yes")
    at.button(key="FormSubmitter:what_if_form-Compare").click().run()
    lines = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "- StreamingTV: No → Yes" in lines
    assert re.search(r"- MonthlyCharges: [\d.,]+ → [\d.,]+ \(recomputed: it follows", lines)
    assert not [w for w in at.warning if "describes no real" in w.value]  # it follows: no note


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_derived_columns_kept_are_never_reasons_and_the_card_lists_them(telecom: AppTest) -> None:
    at = telecom
    _keep_monthly_charges(at)
    at.switch_page("pages/churn_risk.py").run()
    assert not at.exception
    listed = next(d.value for d in at.dataframe if col.TOP_REASON_1 in d.value.columns)
    reasons = listed[[col.TOP_REASON_1, col.TOP_REASON_2, col.TOP_REASON_3]].to_numpy().ravel()
    assert reasons.size and not [r for r in reasons if str(r).startswith("MonthlyCharges")]
    text = _texts(at).replace("\\", "")
    assert "Kept in the model by your choice, though they follow other columns: MonthlyCharges" in (
        text
    )
    assert "Left out of the model because they follow other columns: TotalCharges is a" in text
    card = next(d.value for d in at.dataframe if "How it follows from others" in d.value.columns)
    assert set(card["Column"]) == DERIVED
