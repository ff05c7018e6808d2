"""Each bad file uploaded on the Data page: its message shows and the app stays up.

The exact words are pinned in ``tests/churn_core/io/test_reading.py``; here we check the page
shows them (problems in red, warnings under "things to check") and never an exception.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from churn_core.io.reading import UPLOAD_TYPES
from tests.churn_core.io.test_reading import BAD, CATALOGUE, Expect

ROOT = Path(__file__).resolve().parents[2]
#: What the page's uploader accepts; Streamlit refuses other extensions (.zip, .gz) itself.
UPLOADABLE = tuple(f".{t}" for t in UPLOAD_TYPES)
# One case per file: the first catalogue row that needs no role overrides (those are set on
# the page's role controls, covered by the browser journey).
CASES: dict[str, Expect] = {}
for entry in CATALOGUE:
    expect = entry.values[0] if hasattr(entry, "values") else entry
    if expect.file.endswith(UPLOADABLE) and not expect.options and expect.file not in CASES:
        CASES[expect.file] = expect


def _shown(at: AppTest) -> str:
    """Every message on the page as text: errors, warnings, captions, markdown."""
    parts = [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [c.value for c in at.caption] + [m.value for m in at.markdown]
    return "\n".join(str(p) for p in parts).replace("  \n**What to do:** ", " ")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_file_is_reported_on_the_data_page_and_the_app_stays_up(name: str) -> None:
    expect = CASES[name]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader[0].set_value((name, (BAD / name).read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    shown = _shown(at)
    if expect.message:
        assert expect.message in shown
    if expect.stage == "refused":
        assert "Still using **sample_customers.csv**" in shown
    else:
        assert at.session_state["dataset"].name == name
    at.switch_page("pages/explore.py").run()
    assert not at.exception, at.exception
