"""The raw limit for scoring: what a plain script on the same stack does, nothing more.

pandas reads the CSV in 100k-row chunks, the bundle's own scikit-learn pipeline (the same
model family, fitted the same way) gives ``predict_proba``, then one sort by probability and
one ``to_csv`` of id and probability. No cleaning of numbers written as text, no checks, no
value, no bands, no safe-for-spreadsheets pass, no streaming: everything is held in memory.
The engine is measured against this in the same run (``python -m benchmarks --scoring``).

    python -m benchmarks.raw_score FILE --model DIR --out OUT
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

CHUNK_ROWS = 100_000


def score(path: Path, model: Path, out: Path) -> int:
    card = json.loads((model / "model.json").read_text())
    pipeline = joblib.load(model / "model.joblib")["pipeline"]
    numeric, categorical = card["features"]["numeric"], card["features"]["categorical"]
    id_column = card.get("id_column")
    ids, probabilities = [], []
    for chunk in pd.read_csv(path, chunksize=CHUNK_ROWS):
        x = chunk[numeric + categorical].copy()
        x[numeric] = x[numeric].apply(pd.to_numeric, errors="coerce")
        x[categorical] = x[categorical].fillna("(blank)").astype(str)
        probabilities.append(pipeline.predict_proba(x)[:, 1])
        ids.append(chunk[id_column].to_numpy() if id_column else chunk.index.to_numpy() + 2)
    p = np.concatenate(probabilities)
    order = np.argsort(-p, kind="stable")
    listed = pd.DataFrame(
        {id_column or "row": np.concatenate(ids)[order], "churn_probability": p[order]}
    )
    listed.to_csv(out, index=False)
    return len(listed)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.raw_score")
    parser.add_argument("file", type=Path)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    score(args.file, args.model, args.out)


if __name__ == "__main__":
    main()
