"""Writing a list too long to hold: CSV block by block with the same bytes as one download,
and Parquet at full precision."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.io.export import _plain_csv, iter_csv_bytes, to_csv_bytes, write_parquet


def awkward(n: int = 5_000, seed: int = 3) -> pd.DataFrame:
    """Every kind of cell the list and the app's downloads hold, and the ones CSV finds hard."""
    rng = np.random.default_rng(seed)
    text = ['a,b "q"\nnext', "=1+1", "-2", "@x", "\tt", "r\rr", "", " ", None, "ok"]
    mixed = [1, 2.5, "x", None, np.nan, True, np.float64(3.25), pd.NA, "", "-1"]
    return pd.DataFrame(
        {
            "id": np.array([text[i % 10] if i % 3 else f"C{i}" for i in range(n)], dtype=object),
            "rank": np.arange(1, n + 1),
            "small": rng.integers(0, 255, n).astype(np.uint8),
            "churn_probability": rng.random(n),
            "money": np.where(rng.random(n) < 0.1, np.nan, rng.normal(0, 1e6, n)),
            "edge": np.resize([0.0, -0.0, np.inf, -np.inf, 1e16, 1e-5, 5e-324, 0.1 + 0.2], n),
            "yes": rng.random(n) < 0.5,
            "mixed": np.resize(np.array(mixed, dtype=object), n),
            "empty": "",
            7: 1.0,
        }
    )


def test_the_plain_writer_writes_what_pandas_writes() -> None:
    frame = awkward()
    assert _plain_csv(frame, header=True) == frame.to_csv(index=False, lineterminator="\n")
    assert (
        _plain_csv(frame.head(0), header=True)
        == "id,rank,small,churn_probability,money,edge,yes,mixed,empty,7\n"
    )
    one = pd.DataFrame({"x": ["", "a"]})
    assert _plain_csv(one, header=False) == one.to_csv(
        index=False, header=False, lineterminator="\n"
    )


def test_floats_written_by_repr_are_the_digits_numpy_gives_pandas() -> None:
    rng = np.random.default_rng(0)
    values = np.concatenate(
        [
            rng.random(200_000),
            np.round(rng.normal(0, 1e5, 200_000), 2),
            10.0 ** rng.integers(-30, 30, 50_000) * rng.random(50_000),
        ]
    )
    assert [repr(v) for v in values.tolist()] == values.astype(str).tolist()


@pytest.mark.parametrize("dtype", ["float32", "Int64", "string", "category", "datetime64[ns]"])
def test_other_column_types_are_left_to_pandas(dtype: str) -> None:
    frame = pd.DataFrame({"x": pd.Series([1, 2], dtype="int64").astype(dtype)})
    assert _plain_csv(frame, header=True) is None


def test_blocks_give_the_bytes_of_the_whole_table() -> None:
    frame = awkward()
    blocks = [frame.iloc[i : i + 777] for i in range(0, len(frame), 777)]
    assert b"".join(iter_csv_bytes(blocks)) == to_csv_bytes(frame)
    assert b"".join(iter_csv_bytes([frame.head(0)])) == to_csv_bytes(frame.head(0))


def test_parquet_keeps_full_precision_and_writes_odd_ids_as_text(tmp_path) -> None:
    frame = awkward(2_000).drop(columns=[7])
    path = tmp_path / "list.parquet"
    blocks = [frame.iloc[i : i + 300] for i in range(0, len(frame), 300)]
    assert write_parquet(blocks, path) == 2_000
    back = pd.read_parquet(path)
    pd.testing.assert_series_equal(back["churn_probability"], frame["churn_probability"])
    pd.testing.assert_series_equal(back["money"], frame["money"])
    assert back["id"].iloc[0] == "C0" and back["id"].iloc[1] == frame["id"].iloc[1]
    assert back["mixed"].iloc[:3].tolist() == ["1", "2.5", "x"]
    assert back["mixed"].iloc[3:5].isna().all()
