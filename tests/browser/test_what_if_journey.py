"""The what-if in Chromium on public files nobody here wrote: the IBM telecom file and the bank's.

A retention manager uploads the file, trains, opens a high-risk customer in Score a customer and
reads the suggestion: it moves only levers, only in their allowed direction (never "MonthlyCharges
from 70.35 to 102.6", never TotalCharges). They keep the price in the model, train again and type
a $20 discount: the page shows what the model makes of it and says, in plain words, why that is
not to be believed. On the bank's file, the moves the model says would backfire are named, with
why. Screenshots (a tall viewport, the what-if at the top) are for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from churn_core.schema.levers import allows
from tests.browser.conftest import open_tab
from tests.browser.steps import assert_no_exception, choose, go_to, settle, shoot
from tests.churn_core.public_like import telecom_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Taller than the other journeys': the what-if's suggestion, form and gauges on one screenshot.
TALL = {"width": 1400, "height": 3400}
#: "switching Contract to Two year" / "changing NumOfProducts from 1 to 2".
MOVE = re.compile(
    r"(?:switching (\w+) to (.+?)|changing (\w+) from ([\d.,]+) to ([\d.,]+))(?=,? and | lowers )"
)
SUGGESTION = "Smallest change that lowers the band:"
#: What each file's levers may do (the lever table's guesses, as the page uses them).
TELECOM_LEVERS = {
    "Contract": "longer",
    "PaperlessBilling": "switch",
    "PaymentMethod": "switch",
    "TechSupport": "add",
    **dict.fromkeys(
        [
            *("PhoneService", "MultipleLines", "InternetService", "OnlineSecurity"),
            *("OnlineBackup", "DeviceProtection", "StreamingTV", "StreamingMovies"),
        ],
        "add",
    ),
}
BANK_LEVERS = {"NumOfProducts": "up", "HasCrCard": "up", "IsActiveMember": "up"}


@pytest.fixture
def tall(browser, own_app_url: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh tab on Home with a tall viewport, on a server of its own (each test trains)."""
    with open_tab(browser, own_app_url) as tab:
        tab.set_viewport_size(TALL)
        tab.get_by_role("heading", name="Churn Workbench").wait_for()
        yield tab


def _upload_and_train(page, path: Path, shown: str, id_column: str) -> None:  # type: ignore[no-untyped-def]
    go_to(page, "Data")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text(shown).wait_for(timeout=60_000)
    go_to(page, "Score a customer")
    page.get_by_role("button", name="Train on this data").click()
    page.get_by_text(
        re.compile(rf"Model in use: model \d+ in the workspace, trained on {re.escape(path.name)} ")
    ).wait_for(timeout=300_000)
    settle(page)
    page.get_by_text("A customer from your data").click()
    settle(page)
    page.get_by_role(
        "combobox", name=f"{id_column} (most at risk first; type to search)"
    ).wait_for()


def _pick(page, id_column: str, rank: int) -> None:  # type: ignore[no-untyped-def]
    """Open the customer at this rank of the picker (0: the most at risk)."""
    page.get_by_role("combobox", name=f"{id_column} (most at risk first; type to search)").click()
    page.get_by_role("option").nth(rank).click()
    settle(page)
    first = page.get_by_test_id("stForm").first
    second = page.get_by_test_id("stForm").nth(1)
    for label in ("tenure", "Tenure"):  # the what-if starts from the customer picked
        if first.get_by_label(label, exact=True).count():
            value = first.get_by_label(label, exact=True).input_value()
            expect(second.get_by_label(label, exact=True)).to_have_value(value)


def _advice(page) -> str:  # type: ignore[no-untyped-def]
    """The what-if's suggestion, or why there is none (the alert under "What if?")."""
    main = page.get_by_test_id("stMain")
    found = main.get_by_test_id("stAlertContainer").filter(
        has_text=re.compile(rf"{SUGGESTION}|No move open to you|Every move open to you")
    )
    found.first.wait_for()
    return str(found.first.inner_text())


def _check_moves(page, advice: str, levers: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
    """Every move of a suggestion is a lever moved in its direction; the number of moves."""
    if SUGGESTION not in advice:
        return 0
    form = page.get_by_test_id("stForm").first
    moves = MOVE.findall(advice.split(SUGGESTION, 1)[1])
    assert moves, advice
    for switched, to, changed, old, new in moves:
        column = switched or changed
        assert column in levers, (column, advice)
        if switched:
            current = form.get_by_role("combobox", name=column, exact=True).input_value()
            assert allows(levers[column], current, to), (column, current, to)
        else:
            assert allows(levers[column], float(old), float(new)), (column, old, new)
    return len(moves)


def _compare(page) -> str:  # type: ignore[no-untyped-def]
    page.get_by_test_id("stForm").nth(1).get_by_role("button", name="Compare").click()
    settle(page)
    summary = page.get_by_text(re.compile(r"^Before \d+% \(\w+\) → after \d+% \(\w+\)"))
    summary.wait_for()
    return str(summary.inner_text())


def test_the_what_if_on_the_telecom_file_moves_levers_only_and_explains_a_discount(  # type: ignore[no-untyped-def]
    tall,
) -> None:
    page = tall
    path = telecom_path()
    _upload_and_train(page, path, f"{path.name}: 7,043 rows x 21 columns", "customerID")
    main = page.get_by_test_id("stMain")
    main.get_by_text("Not in the form: MonthlyCharges, TotalCharges.").wait_for()
    form = page.get_by_test_id("stForm").first
    assert form.get_by_label("MonthlyCharges", exact=True).count() == 0
    assert form.get_by_label("TotalCharges", exact=True).count() == 0

    moved = 0
    for rank in range(6):  # the riskiest customers, one after the other
        if rank:
            _pick(page, "customerID", rank)
        advice = _advice(page)
        assert "MonthlyCharges" not in advice and "TotalCharges" not in advice
        found = _check_moves(page, advice, TELECOM_LEVERS)
        if found and not moved:
            shoot(page, "what_if_telecom_suggestion")
        moved += found
    assert moved, "no suggestion for the six riskiest telecom customers"
    assert_no_exception(page)

    # The manager keeps the price in the model (Data page), trains again, types a $20 discount.
    go_to(page, "Data")
    choose(page, "Change the role of", "MonthlyCharges")
    page.get_by_role("button", name="Keep MonthlyCharges in the model").click()
    settle(page)
    page.get_by_role("button", name="Leave it out again").wait_for()
    go_to(page, "Churn risk")
    page.get_by_role("button", name="Train on this data").click()
    page.get_by_text("A new model is ready").wait_for(timeout=300_000)  # beside the one in use
    page.get_by_role("button", name="Put the new model in use").click()
    settle(page)
    go_to(page, "Score a customer")
    page.get_by_text("A customer from your data").click()
    settle(page)
    _pick(page, "customerID", 0)
    shown = page.get_by_test_id("stForm").first.get_by_label("MonthlyCharges", exact=True)
    price_field = page.get_by_test_id("stForm").nth(1).get_by_label("MonthlyCharges", exact=True)
    expect(price_field).to_have_value(shown.input_value())  # the what-if starts from them
    price = float(price_field.input_value())
    price_field.fill(f"{price - 20:.2f}")
    price_field.press("Tab")
    summary = _compare(page)
    before, after = (int(p) for p in re.findall(r"(\d+)% \(", summary))
    note = main.get_by_test_id("stAlertContainer").filter(has_text="describes no real customer")
    note.wait_for()
    text = str(note.inner_text())
    assert "the model cannot tell price apart from what it pays for, so a discount alone" in text
    if after != before:  # what the model says is named, then why not to believe it
        assert f"takes their risk from {before}% to {after}% in this model, but Monthly" in text
    shoot(page, "what_if_telecom_discount")
    assert_no_exception(page)


def test_the_what_if_on_the_bank_file_names_moves_that_backfire_and_why(  # type: ignore[no-untyped-def]
    tall, shared_data: Path
) -> None:
    page = tall
    bank = shared_data / "bank_churn" / "Churn_Modelling.csv"
    _upload_and_train(page, bank, "Churn_Modelling.csv: 10,000 rows x 14 columns", "CustomerId")
    main = page.get_by_test_id("stMain")
    backfire = main.get_by_test_id("stAlertContainer").filter(
        has_text="Moves that would raise their risk in this model"
    )
    moved, backfired, shot = 0, 0, False
    for rank in range(10):
        if rank:
            _pick(page, "CustomerId", rank)
        advice = _advice(page)
        assert "Balance" not in advice and "Age" not in advice  # never levers
        moved += _check_moves(page, advice, BANK_LEVERS)
        if backfire.count():
            backfired += 1
            text = str(backfire.first.inner_text())
            assert "would raise their risk from" in text
            assert "The model learned who has it, not what giving it to someone would do" in text
            if not shot:
                shoot(page, "what_if_bank_backfire")
                shot = True
    assert backfired, "no backfiring move named for the ten riskiest bank customers"

    # A move the manager types: one more product for a one-product customer
    what_if = page.get_by_test_id("stForm").nth(1)
    products = what_if.get_by_label("NumOfProducts", exact=True)
    products.fill(str(int(products.input_value()) + 1))
    products.press("Tab")
    _compare(page)
    page.get_by_text(re.compile(r"^NumOfProducts: \d → \d$")).wait_for()
    shoot(page, "what_if_bank_typed")
    assert_no_exception(page)
