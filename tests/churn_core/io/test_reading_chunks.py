"""Large files a chunk at a time: only the columns asked for, and Parquet like CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from churn_core.errors import ChurnDataError
from churn_core.io.reading import iter_table_chunks, read_table

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "sample_customers.csv"


def whole(chunks) -> pd.DataFrame:
    return pd.concat(list(chunks))


def test_chunks_of_some_columns_hold_the_same_values_as_the_whole_table() -> None:
    table = read_table(SAMPLE).frame
    columns = ["MonthlyCharges", "Plan", "CustomerID", "NoSuchColumn", "SignupDate"]
    got = whole(iter_table_chunks(SAMPLE, 777, columns=columns))
    assert list(got.columns) == ["CustomerID", "SignupDate", "Plan", "MonthlyCharges"]
    pd.testing.assert_frame_equal(got, table[list(got.columns)])


def test_a_parquet_file_is_read_in_chunks_like_its_csv(tmp_path: Path) -> None:
    table = read_table(SAMPLE).frame
    path = tmp_path / "customers.parquet"
    table.to_parquet(path, index=False, row_group_size=1_000)
    got = whole(iter_table_chunks(path, 333))
    pd.testing.assert_frame_equal(got, table)
    assert got.index.tolist() == list(range(len(table)))  # file positions, across row groups
    pd.testing.assert_frame_equal(read_table(path).frame, table)
    assert read_table(path).file_format == "parquet"


def test_a_damaged_parquet_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 100)
    with pytest.raises(ChurnDataError, match="looks like a Parquet file but could not be read"):
        list(iter_table_chunks(path, 10))
    with pytest.raises(ChurnDataError, match="looks like a Parquet file but could not be read"):
        read_table(path)
