"""This month's list: a file without a churn label (or with an empty one) scores with no error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core.errors import ChurnDataError
from churn_core.model import ChurnModel
from churn_core.risk import get_at_risk_list, score_file
from tests.churn_core.conftest import run_cli

ROOT = Path(__file__).resolve().parents[3]
MODEL = ROOT / "models" / "default"


@pytest.fixture(scope="module")
def month(frame: pd.DataFrame) -> pd.DataFrame:
    """The sample's customers as next month's export: no Churned, no ChurnDate."""
    return frame.drop(columns=["Churned", "ChurnDate"])


def test_a_file_without_a_label_is_scored_in_full_with_no_warning(
    model: ChurnModel, frame: pd.DataFrame, month: pd.DataFrame
) -> None:
    listed = get_at_risk_list(model, month, id_column="CustomerID")
    assert len(listed.frame) == len(month) and listed.left_out == 0
    assert listed.warnings == []
    everyone = get_at_risk_list(model, frame, id_column="CustomerID", include_left=True)
    by_id = everyone.frame.set_index("CustomerID")["churn_probability"]
    got = listed.frame.set_index("CustomerID")["churn_probability"]
    assert np.allclose(got.sort_index(), by_id.sort_index(), atol=1e-12)


def test_an_empty_label_column_scores_like_no_label_column(
    model: ChurnModel, month: pd.DataFrame
) -> None:
    empty = get_at_risk_list(model, month.assign(Churned=None), id_column="CustomerID")
    none = get_at_risk_list(model, month, id_column="CustomerID")
    assert empty.warnings == [] and empty.left_out == 0
    pd.testing.assert_frame_equal(empty.frame, none.frame)


def test_a_large_file_without_a_label_is_scored_in_chunks(
    model: ChurnModel, month: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "march.csv"
    month.to_csv(path, index=False)
    listed = score_file(path, model, chunk_rows=700)
    assert len(listed.frame) == len(month) and listed.warnings == []


def test_the_score_command_lists_a_month_without_a_label(
    month: pd.DataFrame, tmp_path: Path
) -> None:
    path, out = tmp_path / "march.csv", tmp_path / "list.csv"
    month.to_csv(path, index=False)
    result = run_cli("score", path, "--model", MODEL, "--out", out, "--reasons", "0")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr and "error" not in result.stderr
    assert len(pd.read_csv(out)) == len(month)


def test_a_month_missing_a_column_the_model_needs_is_refused_saying_it_cannot_score(
    model: ChurnModel, month: pd.DataFrame
) -> None:
    with pytest.raises(ChurnDataError) as caught:
        get_at_risk_list(model, month.drop(columns=["Contract"]))
    assert str(caught.value) == (
        "This file's columns don't match the saved model. Missing: Contract. The model needs "
        "every column it learned from, so it cannot score this file without them. Rename the "
        "columns as the training file named them, add the missing ones to the file, or retrain "
        "on a file that has them."
    )
