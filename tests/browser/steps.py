"""What a person does in the app, as Playwright steps shared by the journey tests."""

from __future__ import annotations

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has finished rerunning the script after an interaction."""
    page.wait_for_timeout(300)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden")


def choose(page, label: str, option: str, within=None) -> None:  # type: ignore[no-untyped-def]
    """Pick an option in a Streamlit selectbox, found by its label (inside ``within``, e.g. one
    of two forms with the same fields; the option list itself opens at page level)."""
    settle(page)
    (within or page).get_by_role("combobox", name=label, exact=True).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def menu(page):  # type: ignore[no-untyped-def]
    """The app's menu: its page links at the top of the sidebar (``ui.frame.show_menu``)."""
    return page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink")


def go_to(page, title: str) -> None:  # type: ignore[no-untyped-def]
    menu(page).and_(page.get_by_role("link", name=title, exact=True)).click()
    page.get_by_role("heading", name=title, exact=True).first.wait_for()


def assert_no_exception(page) -> None:  # type: ignore[no-untyped-def]
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_text("Something went wrong").count() == 0


def shoot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a screenshot for a person to look at (tests/browser/screenshots/, not committed)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    return path
