"""Server memory after a large upload: does it fit a 512 MB Heroku Basic dyno?

For each file size, a fresh server is started from the Procfile (as in the hosted journey
test), Chromium uploads a CSV of that size on the Data page, then opens Explore and Churn
risk (the default model scores every row). The server's resident memory (VmRSS) after each
step and its peak (VmHWM) are printed. Needs Playwright and Chromium (requirements-dev.txt).

    python -m benchmarks --upload-memory [--sizes 20 35 49]
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.data import wide_customers

#: Bytes per row of ``wide_customers(rows, 30)`` as CSV (measured: 17.6 MB per 100k rows).
BYTES_PER_ROW = 176


def _csv_of_size(folder: Path, megabytes: float) -> tuple[Path, int]:
    rows = int(megabytes * 1024 * 1024 / BYTES_PER_ROW)
    path = folder / f"customers_{megabytes:g}mb.csv"
    if not path.exists():
        wide_customers(rows, 30).to_csv(path, index=False)
    return path, rows


def measure_upload(path: Path, rows: int) -> list[tuple[str, float, float]]:
    """(step, RSS MB, peak RSS MB) after each step of one upload, on a fresh server."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_FLAGS, VIEWPORT
    from tests.browser.heroku import start_web_process
    from tests.browser.steps import go_to, settle

    # Both limits raised: this measures what a file costs, whatever the limits are.
    app = start_web_process(
        {"STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "200", "MAX_UPLOAD_MB": "200"},
        Path(tempfile.gettempdir()) / "churn_upload_memory.log",
    )
    steps = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(600_000)
            page.goto(app.url)
            page.get_by_role("heading", name="Churn Workbench").wait_for()
            settle(page)
            steps.append(("home on the sample", app.rss_mb(), app.peak_rss_mb()))
            go_to(page, "Data")
            page.locator("input[type=file]").set_input_files(str(path))
            page.get_by_text(f"{path.name}: {rows:,} rows").wait_for()
            settle(page)
            steps.append(("after the upload (Data page)", app.rss_mb(), app.peak_rss_mb()))
            go_to(page, "Explore")
            page.locator(".js-plotly-plot").nth(3).wait_for()
            settle(page)
            steps.append(("Explore", app.rss_mb(), app.peak_rss_mb()))
            go_to(page, "Churn risk")
            page.get_by_text("customers flagged").wait_for()
            settle(page)
            steps.append(("Churn risk (every row scored)", app.rss_mb(), app.peak_rss_mb()))
            browser.close()
    finally:
        app.stop()
    return steps


def print_upload_memory(sizes: list[float], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for megabytes in sizes:
        path, rows = _csv_of_size(folder, megabytes)
        size = path.stat().st_size / 1024 / 1024
        print(f"\n{path.name}: {size:.1f} MB, {rows:,} rows x 30 columns")
        for step, rss, peak in measure_upload(path, rows):
            print(f"  {step:32s} RSS {rss:6.0f} MB   peak {peak:6.0f} MB")
    print("\nHeroku Basic dyno: 512 MB (R14 swapping above it, R15 kill at 2x).")
