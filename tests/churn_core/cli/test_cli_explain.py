"""``explain`` as users run it: JSON per customer that equals what the engine gives the page."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core.explain import ChurnExplainer, advise_customers
from churn_core.io.reading import read_table
from churn_core.model import ChurnModel, save_model
from tests.churn_core.conftest import SAMPLE, run_cli

KEYS = {
    "id",
    "churn_probability",
    "risk_band",
    "reasons",
    "recommended_action",
    "suggestion",
    "why",
    "backfires",
}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, model: ChurnModel) -> Path:
    out = tmp_path_factory.mktemp("explain") / "model"
    save_model(model, out)
    return out


def explain(*args: str | Path) -> list[dict[str, object]]:
    result = run_cli("explain", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_top_n_gives_the_n_riskiest_customers_still_with_us(
    bundle: Path, model: ChurnModel, frame: pd.DataFrame
) -> None:
    found = explain(SAMPLE, "--model", bundle, "--top", "4")
    assert len(found) == 4 and all(set(one) == KEYS for one in found)
    p = model.predict_proba(frame)
    still = frame["Churned"].eq("No").to_numpy()
    riskiest = frame["CustomerID"].to_numpy()[still][np.argsort(-p[still], kind="stable")[:4]]
    assert [one["id"] for one in found] == riskiest.tolist()
    probabilities = [one["churn_probability"] for one in found]
    assert probabilities == sorted(probabilities, reverse=True)


def test_the_json_equals_what_the_engine_gives_the_page(
    bundle: Path, model: ChurnModel, frame: pd.DataFrame
) -> None:
    ids = ["C000002", "C004821", "C000017"]
    found = explain(SAMPLE, "--model", bundle, "--id", *ids)
    assert [one["id"] for one in found] == ids
    rows = frame.set_index("CustomerID").loc[ids].reset_index()
    engine = advise_customers(ChurnExplainer(model), rows, ids, cutoff=model.threshold)
    for one, advice in zip(found, engine, strict=True):
        assert one["churn_probability"] == pytest.approx(advice.probability, abs=1e-6)
        assert one["risk_band"] == advice.band
        assert [(r["column"], r["value"]) for r in one["reasons"]] == [
            (c, v) for c, v, _ in advice.reasons
        ]
        assert [r["points"] for r in one["reasons"]] == pytest.approx(
            [p for _, _, p in advice.reasons], abs=0.01
        )
        assert one["recommended_action"] == advice.action
        suggestion = advice.what_if.suggestion
        if suggestion is None:
            assert one["suggestion"] is None and one["why"] == advice.what_if.why != ""
        else:
            assert one["suggestion"]["changes"] == [
                {"column": c, "from": old, "to": new}
                for c, (old, new) in suggestion.changes.items()
            ]
            assert one["suggestion"]["probability_after"] == pytest.approx(suggestion.after)
    assert any(one["suggestion"] for one in found)


def test_an_unknown_customer_id_exits_2_with_a_readable_message(bundle: Path) -> None:
    result = run_cli("explain", SAMPLE, "--model", bundle, "--id", "C000002", "NOPE")
    assert result.returncode == 2
    assert result.stderr.startswith("error: No customer with CustomerID NOPE in this file.")
    assert "Traceback" not in result.stderr


def test_a_file_without_an_id_column_is_named_by_spreadsheet_rows(
    bundle: Path, tmp_path: Path
) -> None:
    rows = read_table(SAMPLE).frame.drop(columns=["CustomerID"]).head(50)
    path = tmp_path / "no_ids.csv"
    rows.to_csv(path, index=False)
    found = explain(path, "--model", bundle, "--id", "2", "51")
    assert [one["id"] for one in found] == [2, 51]  # header is row 1
