"""Every page runs inside app.py's frame, with the app's own menu (ui/frame.py says why).

AppTest starts each run the way a fresh server does: it resets Streamlit's pages-folder flag
(``testing/v1/app_test.py``), so a switched-to page is first run on its own by the legacy
mode and must hand over to the frame.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
MENU = [
    "Home",
    "Data",
    "Explore",
    "Segments",
    "Churn risk",
    "Score a customer",
    "Retention & CLV",
    "Monitoring",
    "Workspace",
]


def _menu(at: AppTest) -> list[str]:
    return [link.value for link in at.sidebar.get("page_link")]


@pytest.mark.parametrize(
    ("page", "title"), [("pages/explore.py", "Explore"), ("pages/churn_risk.py", "Churn risk")]
)
def test_a_page_run_on_its_own_renders_once_inside_the_frame(page: str, title: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [title]  # once: the unframed run stopped
    assert _menu(at) == MENU
    assert any(m.value == "#### Dataset" for m in at.sidebar.markdown)


def test_the_menu_is_the_apps_own_with_every_page_title_in_order() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert _menu(at) == MENU
