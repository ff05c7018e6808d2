"""A model for this file, or none, in Chromium: after an upload the sample's model does not fit,
every page that needs a model offers "Train on this data" and shows nothing of the sample's
model; one press trains on the upload, and every page then uses the new model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.steps import assert_no_exception, go_to, settle, shoot
from tests.churn_core.card_issuer import make_card_issuer_customers

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The pages that need churn probabilities for the data's own columns (Retention & CLV needs
#: them only for value at risk, which a file without revenue cannot have: AppTest covers it).
NEEDS_A_MODEL = ("Churn risk", "Score a customer", "Segments")
#: What would give the sample's model away: its description and its columns.
SAMPLE_MODEL_SIGNS = ("bundled model", "trained on the sample", "Contract", "TenureMonths")


def test_every_page_offers_training_on_an_upload_and_then_uses_the_new_model(  # type: ignore[no-untyped-def]
    page, tmp_path: Path
) -> None:
    upload = tmp_path / "card_issuer.csv"  # a card issuer's columns: nothing like the sample's
    make_card_issuer_customers(rows=2_000, seed=3).to_csv(upload, index=False)
    go_to(page, "Data")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_text("card_issuer.csv: 2,000 rows x 23 columns").wait_for()
    sidebar = page.get_by_test_id("stSidebar")

    offer = "No churn model has learned from card_issuer.csv's columns yet."
    for title in NEEDS_A_MODEL:
        go_to(page, title)
        main = page.get_by_test_id("stMain")
        main.get_by_text(offer).first.wait_for(timeout=120_000)
        main.get_by_role("button", name="Train on this data").wait_for()
        settle(page)
        expect(main.get_by_role("button", name="Train on this data")).to_have_count(1)
        assert main.get_by_test_id("stAlertContentError").count() == 0, title  # never red
        shown = main.inner_text()
        assert not [sign for sign in SAMPLE_MODEL_SIGNS if sign in shown], title
        assert sidebar.get_by_text("No model for this data yet").count() == 1, title
        assert_no_exception(page)
        shoot(page, f"train_offer_{title.split()[0].lower()}")

    go_to(page, "Retention & CLV")
    main = page.get_by_test_id("stMain")
    main.get_by_text("Value and risk need each customer's value.").wait_for(timeout=120_000)
    assert not [sign for sign in SAMPLE_MODEL_SIGNS if sign in main.inner_text()]

    go_to(page, "Score a customer")
    page.get_by_role("button", name="Train on this data").click()
    page.get_by_test_id("stProgress").wait_for(timeout=30_000)  # progress while it learns
    form = page.get_by_test_id("stForm").first
    form.get_by_label("Total_Trans_Ct", exact=True).wait_for(timeout=180_000)  # its own form
    page.get_by_text(
        re.compile(r"Model in use: model \d+ in the workspace, trained on card_issuer\.csv ")
    ).wait_for()
    sidebar.get_by_text(re.compile(r"\(model \d+ in the workspace\)")).wait_for()
    assert sidebar.get_by_text("Catches ").count() == 1  # quality in words, not ROC-AUC
    assert_no_exception(page)
    shoot(page, "train_offer_trained_score")

    go_to(page, "Churn risk")
    page.get_by_text(
        re.compile(r"Model in use \(model \d+ in the workspace, trained on card_issuer\.csv ")
    ).wait_for(timeout=120_000)
    page.get_by_text("Ranked by churn probability, highest first: this data has no").wait_for()
    assert page.get_by_text(offer).count() == 0
    shoot(page, "train_offer_trained_churn_risk")

    go_to(page, "Retention & CLV")
    page.get_by_text("No customer in this file is younger than 13 months").first.wait_for()
    page.get_by_text("Of customers still with you at month 13:").wait_for()  # on the card
    shoot(page, "train_offer_trained_retention")

    go_to(page, "Segments")
    page.get_by_text("Predicted risk").first.wait_for(timeout=120_000)  # on each card now
    assert page.get_by_text(offer).count() == 0
    assert_no_exception(page)
    shoot(page, "train_offer_trained_segments")
