"""The first seconds of a freshly started server: never Streamlit's raw menu of ``pages/``.

A new server process starts in Streamlit's legacy pages-folder mode until the first
``st.navigation`` call (see ``ui/frame.py``): that mode once painted a menu of file names
("app", "churn risk", ...) and ran a deep link's page outside the app's frame. Each case
starts its own server, so the browser meets the server's very first runs. A script added
before the page's own records, from the moment the document exists, every link's label and
every ``h1`` every 50 ms and on every change of the page.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import ROOT, VIEWPORT, start_server, stop_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "first paint"
#: How Streamlit's folder mode labels a page: the file name, underscores as spaces.
FILE_LABELS = {"app"} | {path.stem.replace("_", " ") for path in (ROOT / "pages").glob("*.py")}
MENU = ["Home", "Data", "Explore", "Segments", "Churn risk", "Score a customer", "Retention & CLV"]
TITLES = {"": "Churn Workbench", "explore": "Explore", "churn_risk": "Churn risk"}
WATCH_MS = 5_000

RECORDER = """
(() => {
  const started = performance.now();
  const seen = [];
  let last = "";
  window.__paint = {snapshots: seen, watchedMs: 0};
  const label = (element) => {
    const copy = element.cloneNode(true);  // the label only: icons render as text too
    copy.querySelectorAll('[data-testid^="stIcon"]').forEach((icon) => icon.remove());
    return copy.textContent.trim();
  };
  const record = () => {
    window.__paint.watchedMs = Math.round(performance.now() - started);
    if (!document.body) return;
    const links = Array.from(document.querySelectorAll('a, [data-testid*="NavLink"]'), label);
    const headings = Array.from(document.querySelectorAll("h1"), label);
    const sidebar = document.querySelector('[data-testid="stSidebar"]') !== null;
    const key = JSON.stringify([links, headings, sidebar]);
    if (key === last) return;
    last = key;
    seen.push({ms: window.__paint.watchedMs, links, headings, sidebar});
  };
  setInterval(record, 50);
  new MutationObserver(record).observe(document, {
    childList: true, subtree: true, characterData: true,
  });
})();
"""


def watch_first_paint(browser, url: str, title: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """What a fresh tab showed on ``url``: ``snapshots`` (one per change) and ``watchedMs``,
    for at least WATCH_MS and until ``title`` is a heading."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(RECORDER)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        tab.goto(url, wait_until="commit")
        tab.wait_for_timeout(WATCH_MS)
        tab.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=60_000)
        tab.wait_for_timeout(300)  # the recorder's last tick
        watched: dict[str, Any] = tab.evaluate("window.__paint")
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
    return watched


@pytest.mark.parametrize("password", [None, PASSWORD], ids=["open", "password"])
@pytest.mark.parametrize("path", list(TITLES), ids=["root", "explore", "churn_risk"])
def test_a_fresh_server_never_shows_a_file_name_menu_and_opens_on_a_framed_title(  # type: ignore[no-untyped-def]
    browser, path: str, password: str | None
) -> None:
    server, url = start_server(env={"APP_PASSWORD": password} if password else None)
    try:
        title = "Churn Workbench" if password else TITLES[path]
        watched = watch_first_paint(browser, f"{url}/{path}", title)
    finally:
        stop_server(server)
    snapshots = watched["snapshots"]
    assert watched["watchedMs"] >= WATCH_MS

    raw = [(s["ms"], sorted(FILE_LABELS & set(s["links"]))) for s in snapshots]
    raw = [(ms, labels) for ms, labels in raw if labels]
    assert not raw, f"menu entries that are file names (ms after load, labels): {raw[:5]}"

    titled = [s for s in snapshots if title in s["headings"]]
    assert titled, f"no {title!r} heading in {len(snapshots)} snapshots"
    first = titled[0]
    print(f"/{path} ({'password' if password else 'open'}): {title!r} from {first['ms']} ms")
    links = set(first["links"])
    if password:  # the login form alone: no menu, no sidebar
        assert not links & set(MENU), links
        assert not first["sidebar"]
    else:  # the page is framed from its first paint: the sidebar and the app's own menu
        assert first["sidebar"]
        assert set(MENU) <= links, links
