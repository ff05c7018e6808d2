"""Scoring on Spark, when one machine is not enough: the same bundle, reading, cleaning, model
and ranking as the local engine (``churn_core.risk.pipeline``), on a cluster.

``python -m churn_core score FILE --model DIR --engine spark [--master URL]``. pyspark is not
part of the app (requirements-dev.txt; a cluster brings its own) and is imported only here.

1. The driver sniffs a CSV file as the local reader does (separator, encoding, header, columns
   kept as text); Spark reads it as text cells, or a Parquet file as typed columns, keeping the
   columns the model and the list need.
2. ``mapInPandas`` scores each partition's batches with the engine's own code: parsed and
   cleaned as a local chunk (``parse_text_cells``), scored and valued (``score_customers``,
   ``value_customers``), flagged by the policy. Each customer keeps its position in the file
   (its partition's offset, from one count per partition, plus its row), so ties rank in file
   order, as locally, and rows without an id get their file row number.
3. One global sort on the list's keys (value at risk, probability, position) ranks them.
4. The first N are explained on the driver; their columns are fetched by position.
5. CSV is written by the driver a partition at a time with the local writer (the same bytes as
   the local engine). A ``.parquet`` output is written by Spark: a folder of part files in rank
   order, with the rank column, values at full precision, ids as text.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import ChurnDataError, Problem
from churn_core.io import (
    PARQUET_MAGIC,
    TextLayout,
    clean_frame,
    parse_text_cells,
    sniff_text_layout,
)
from churn_core.model import CAPACITY, ChurnModel, Policy, apply_policy, check_columns
from churn_core.risk.pipeline import (
    BLOCK_ROWS,
    CHUNK_ROWS,
    ListSummary,
    RankedFile,
    explained_head,
    list_block,
    needed_columns,
    write_at_risk_list,
)
from churn_core.risk.runs import ScoredRows
from churn_core.risk.scoring import CustomerScores, score_customers, value_customers

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: What each scored batch gives back: its listed customers, then one tally row.
_SCORED = (
    "kind string, position long, id string, p double, value double, key double, "
    "flagged boolean, note string"
)
INSTALL_SPARK = (
    "Install it with: pip install pyspark==4.3.0 (it needs Java 17 or later: on Debian, "
    "apt-get install openjdk-17-jre-headless), or run the same command through spark-submit "
    "on your cluster (see README, When one machine is not enough)."
)


def score_with_spark(
    path: str,
    model: ChurnModel,
    out: str | None,
    *,
    master: str | None = None,
    id_column: str | None = None,
    include_left: bool = False,
    top: int | None = None,
    reasons: int = 0,
    policy: Policy | None = None,
) -> ListSummary:
    """Score ``path`` on Spark and write its at-risk list to ``out`` (CSV, or a folder of
    Parquet parts when it ends in ``.parquet``; CSV on stdout without one).

    Raises
    ------
    ChurnDataError
        When pyspark is missing (saying how to install it), or the file lacks the model's
        columns.
    """
    policy = policy or Policy()
    if policy.kind == CAPACITY:
        raise ValueError("A capacity policy needs the whole list in memory; use score_file.")
    spark = get_spark(master)
    frame, layout = _read(spark, path)
    check_columns(model, pd.DataFrame(columns=frame.columns))
    needed = set(needed_columns(model, id_column))
    frame = frame.select(*[name for name in frame.columns if name in needed])
    scored = _score(spark, frame, layout, model, id_column, include_left, policy).persist()
    try:
        summary, id_name, id_kind = _summarise(model, scored)
        key_columns = ["key", "minus_p", "position"]
        ordered = (
            scored.filter("kind = 'customer'")
            .withColumn("minus_p", -scored["p"])
            .orderBy(*key_columns)
            .persist()
        )
        try:
            explain = min(max(reasons, 0), summary.listed if top is None else top)
            leaders, inputs = _leaders(spark, path, layout, model, ordered, explain)
            explainer = None
            if len(leaders):
                from churn_core.explain import ChurnExplainer

                explainer = ChurnExplainer(model)
            ranked = RankedFile(
                listed=summary.listed,
                left_out=summary.left_out,
                left_label=summary.left_label,
                flagged=summary.flagged,
                expected_churners=summary.expected_churners,
                warnings=summary.warnings,
                id_name=id_name,
                policy=policy,
                leaders=leaders,
                leader_inputs=inputs,
            )
            if out and out.lower().endswith(".parquet"):
                _write_parquet(spark, ordered, ranked, model, explainer, out, top)
            else:
                blocks = _local_blocks(ordered, id_kind, top)
                target = out or sys.stdout.buffer
                write_at_risk_list(ranked, model, target, explainer, top=top, ordered=blocks)
            summary.explained = len(leaders)
        finally:
            ordered.unpersist()
    finally:
        scored.unpersist()
    return summary


def get_spark(master: str | None = None) -> SparkSession:
    """The running Spark session (or a new one on ``master``), with the engine's code shipped
    to its executors."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ChurnDataError(
            [Problem("--engine spark needs pyspark, which is not installed.", fix=INSTALL_SPARK)]
        ) from None
    # Executors on this machine run this Python (a cluster sets spark.pyspark.python itself).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.appName("Churn Workbench: score")
        .config("spark.ui.showConsoleProgress", "false")
        # Batches the size of the local engine's chunks: fewer, larger pandas calls.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(CHUNK_ROWS))
    )
    if master:
        builder = builder.master(master)
    if (master or "local").startswith("local"):  # one machine: a few sort partitions, not 200,
        builder = builder.config("spark.sql.shuffle.partitions", "8").config(
            "spark.driver.memory",
            "2g",  # and room to hold the scores while they are sorted
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    _ship_engine(spark)
    return spark


_SHIPPED: set[str] = set()


def _ship_engine(spark: SparkSession) -> None:
    """Zip this ``churn_core`` and add it to the executors' Python path (once per session)."""
    package = Path(__file__).resolve().parents[1]
    files = sorted(p for p in package.rglob("*.py"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:12]
    key = f"{id(spark.sparkContext)}:{digest}"
    if key in _SHIPPED:
        return
    zipped = Path(tempfile.gettempdir()) / f"churn_core_{digest}.zip"
    if not zipped.exists():
        with zipfile.ZipFile(zipped, "w") as archive:
            for file in files:
                archive.write(file, file.relative_to(package.parent))
    spark.sparkContext.addPyFile(str(zipped))
    _SHIPPED.add(key)


def _read(spark: SparkSession, path: str) -> tuple[DataFrame, TextLayout | None]:
    """The file as Spark reads it, and its text layout (None for Parquet)."""
    local = Path(path)
    head = local.open("rb").read(1 << 20) if local.is_file() else b""
    if head.startswith(PARQUET_MAGIC) or path.lower().endswith(".parquet"):
        return spark.read.parquet(path), None
    if not head:  # not on this machine (hdfs://, s3://): its first lines, read by Spark
        lines = spark.read.text(path).limit(200).collect()
        head = "\n".join(row[0] for row in lines).encode("utf-8") + b"\n"
    layout = sniff_text_layout(head, local.name)
    if layout.lined_up:
        raise ChurnDataError(
            [
                Problem(
                    f'"{local.name}" lines its columns up with spaces, which Spark cannot split.',
                    fix="Save it with commas or tabs between columns, or score it on one machine "
                    "(without --engine spark).",
                    code="spark_whitespace",
                )
            ]
        )
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([StructField(name, StringType()) for name in layout.names])
    reader = (
        spark.read.schema(schema)
        .option("header", layout.has_header)
        .option("sep", layout.delimiter)
        .option("encoding", "UTF-8" if layout.encoding == "utf-8-sig" else layout.encoding)
        .option("quote", '"')
        .option("escape", '"')
        .option("mode", "PERMISSIVE")
    )
    return reader.csv(path), layout


def _offsets(frame: DataFrame) -> dict[int, int]:
    """Each partition's first row's position in the file (partitions follow the file)."""
    from pyspark.sql import functions as F

    counts = frame.groupBy(F.spark_partition_id().alias("part")).count().collect()
    offsets, start = {}, 0
    for row in sorted(counts, key=lambda r: r["part"]):
        offsets[int(row["part"])] = start
        start += int(row["count"])
    return offsets


def _batches(
    batches: Iterator[pd.DataFrame], offsets: dict[int, int], layout: TextLayout | None
) -> Iterator[pd.DataFrame]:
    """A partition's batches as the local reader's chunks: file positions, parsed, cleaned."""
    from pyspark import TaskContext

    context = TaskContext.get()
    start = offsets.get(context.partitionId(), 0) if context is not None else 0
    for batch in batches:
        batch.index = pd.RangeIndex(start, start + len(batch))
        start += len(batch)
        if layout is not None:
            yield parse_text_cells(batch, layout)
        else:
            cleaned, _ = clean_frame(batch)
            cleaned.index = batch.index
            yield cleaned


def _score(
    spark: SparkSession,
    frame: DataFrame,
    layout: TextLayout | None,
    model: ChurnModel,
    id_column: str | None,
    include_left: bool,
    policy: Policy,
) -> DataFrame:
    offsets = _offsets(frame)
    shared = spark.sparkContext.broadcast(model)

    def score(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        model = shared.value
        for chunk in _batches(batches, offsets, layout):
            scores = score_customers(model, chunk, id_column=id_column)
            values = np.asarray(value_customers(model, chunk), dtype=float)
            kept = np.arange(len(chunk)) if include_left else np.flatnonzero(~scores.left)
            rows = ScoredRows(
                chunk.index.to_numpy(np.int64)[kept], scores.ids[kept], scores.p[kept], values[kept]
            )
            flagged = apply_policy(
                rows.p, policy, threshold=model.threshold, base_rate=model.base_rate,
                values=rows.values,
            ).flagged  # fmt: skip
            key, _, _ = rows.keys()
            yield pd.DataFrame(
                {
                    "kind": "customer",
                    "position": rows.positions,
                    "id": [None if pd.isna(v) else str(v) for v in rows.ids],
                    "p": rows.p,
                    "value": rows.values,
                    "key": key,
                    "flagged": flagged,
                    "note": None,
                }
            )
            yield _tally(scores, len(chunk) - len(kept), np.asarray(scores.ids).dtype.kind)

    return frame.mapInPandas(score, schema=_SCORED)


def _tally(scores: CustomerScores, left_out: int, id_kind: str) -> pd.DataFrame:
    note = {
        "left_out": left_out,
        "id_name": scores.id_name,
        "id_kind": id_kind,
        "unseen": scores.unseen,
        "not_numbers": scores.not_numbers,
        "unknown_labels": scores.unknown_labels,
    }
    return pd.DataFrame(
        {
            "kind": ["tally"],
            "position": [-1],
            "id": [None],
            "p": [np.nan],
            "value": [np.nan],
            "key": [np.nan],
            "flagged": [False],
            "note": [json.dumps(note)],
        }
    )


def _summarise(model: ChurnModel, scored: DataFrame) -> tuple[ListSummary, str, str]:
    """The list's counts and warnings, its id column's name, and how the ids were typed."""
    from pyspark.sql import functions as F

    customers = scored.filter("kind = 'customer'")
    counts = customers.agg(
        F.count("*").alias("listed"),
        F.sum(F.col("flagged").cast("long")).alias("flagged"),
        F.sum(F.when(F.col("flagged"), F.col("p")).otherwise(0.0)).alias("expected"),
    ).collect()[0]
    notes = [json.loads(row["note"]) for row in scored.filter("kind = 'tally'").collect()]
    parts = [
        CustomerScores(
            np.array([]),
            np.array([]),
            np.array([], dtype=bool),
            note["id_name"],
            model.label_mapping,
            {k: tuple(v) for k, v in note["unseen"].items()},
            {k: tuple(v) for k, v in note["not_numbers"].items()},
            {k: tuple(v) for k, v in note["unknown_labels"].items()},
        )
        for note in notes
    ]
    left_out = sum(int(note["left_out"]) for note in notes)
    summary = ListSummary(
        listed=int(counts["listed"] or 0),
        left_out=left_out,
        left_label=(
            f'{model.label_column} = "{model.label_mapping.churned_value}"' if left_out else ""
        ),
        flagged=int(counts["flagged"] or 0),
        expected_churners=float(counts["expected"] or 0.0),
        warnings=CustomerScores.concat(parts).warnings if parts else [],
    )
    kinds = {note["id_kind"] for note in notes}
    id_name = notes[0]["id_name"] if notes else col.ROW_NUMBER_ID
    return summary, id_name, kinds.pop() if len(kinds) == 1 else "O"


def _leaders(
    spark: SparkSession,
    path: str,
    layout: TextLayout | None,
    model: ChurnModel,
    ordered: DataFrame,
    n: int,
) -> tuple[ScoredRows, pd.DataFrame]:
    """The list's first ``n`` customers and their columns as the model reads them, fetched
    from the file by position with the same parsing and cleaning as when they were scored."""
    columns = list(model.schema.columns)
    if n <= 0:
        return ScoredRows.empty(), pd.DataFrame(columns=columns)
    first = cast(pd.DataFrame, ordered.select("position", "id", "p", "value").limit(n).toPandas())
    wanted = np.sort(first["position"].to_numpy(np.int64))
    frame, _ = _read(spark, path)
    frame = frame.select(*[name for name in frame.columns if name in set(columns)])
    offsets = _offsets(frame)
    shared = spark.sparkContext.broadcast(wanted)

    def fetch(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from churn_core.schema import get_feature_frame

        chosen = shared.value
        for chunk in _batches(batches, offsets, layout):
            positions = chunk.index.to_numpy(np.int64)
            rows = np.isin(positions, chosen)
            if rows.any():
                found = get_feature_frame(chunk[rows], model.schema)
                found.insert(0, "position", positions[rows])
                yield found.astype({c: object for c in model.schema.categorical})

    schema = ", ".join(
        ["position long"]
        + [f"`{c}` double" for c in model.schema.numeric]
        + [f"`{c}` string" for c in model.schema.categorical]
    )
    inputs = cast(pd.DataFrame, frame.mapInPandas(fetch, schema=schema).toPandas())
    inputs = inputs.set_index("position")
    inputs = inputs.loc[first["position"].to_numpy(np.int64)].reset_index(drop=True)
    leaders = ScoredRows(
        first["position"].to_numpy(np.int64),
        first["id"].to_numpy(object),
        first["p"].to_numpy(float),
        first["value"].to_numpy(float),
    )
    return leaders, inputs[columns]


def _local_blocks(ordered: DataFrame, id_kind: str, top: int | None) -> Iterator[ScoredRows]:
    """The ranked customers brought to the driver a partition at a time, in rank order; ids
    typed back as the local reader typed them (whole numbers, decimals or text)."""
    rows = ordered.select("position", "id", "p", "value")
    if top is not None:
        rows = rows.limit(top)
    buffer: list[Any] = []
    for row in rows.toLocalIterator(prefetchPartitions=True):
        buffer.append(row)
        if len(buffer) == BLOCK_ROWS:
            yield _block(buffer, id_kind)
            buffer = []
    if buffer:
        yield _block(buffer, id_kind)


def _block(rows: list[Any], id_kind: str) -> ScoredRows:
    ids = np.array([row[1] for row in rows], dtype=object)
    if id_kind in "iu":
        ids = np.array([int(v) for v in ids], dtype=np.int64)
    elif id_kind == "f":
        ids = np.array([np.nan if v is None else float(v) for v in ids], dtype=object)
    return ScoredRows(
        np.array([row[0] for row in rows], dtype=np.int64),
        ids,
        np.array([row[2] for row in rows], dtype=float),
        np.array([np.nan if row[3] is None else row[3] for row in rows], dtype=float),
    )


def _write_parquet(
    spark: SparkSession,
    ordered: DataFrame,
    ranked: RankedFile,
    model: ChurnModel,
    explainer: Any,
    out: str,
    top: int | None,
) -> None:
    """The list as a folder of Parquet parts in rank order, written by Spark's executors."""
    from pyspark.sql import functions as F

    reasons = _leader_reasons(ranked, model, explainer)
    shared = spark.sparkContext.broadcast(reasons)
    offsets = _offsets(ordered)
    policy, threshold, base_rate = ranked.policy, model.threshold, model.base_rate
    id_name = ranked.id_name
    text_columns = list(col.AT_RISK_COLUMNS[5:])

    def lay_out(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from pyspark import TaskContext

        context = TaskContext.get()
        rank = offsets.get(context.partitionId(), 0) + 1 if context is not None else 1
        filled = shared.value
        for batch in batches:
            p, values = batch["p"].to_numpy(float), batch["value"].to_numpy(float)
            flagging = apply_policy(
                p, policy, threshold=threshold, base_rate=base_rate, values=values
            )
            frame = pd.DataFrame(
                {
                    id_name: batch["id"],
                    col.RANK: np.arange(rank, rank + len(batch), dtype=np.int64),
                    col.CHURN_PROBABILITY: p,
                    col.RISK_BAND: flagging.bands,
                    col.EXPECTED_VALUE_AT_RISK: p * values,
                    col.CUSTOMER_VALUE: values,
                }
            )
            for k, name in enumerate(text_columns):
                frame[name] = [filled.get(int(pos), [""] * 5)[k] for pos in batch["position"]]
            rank += len(batch)
            yield frame

    schema = ", ".join(
        [f"`{id_name}` string", f"{col.RANK} long", f"{col.CHURN_PROBABILITY} double"]
        + [f"{col.RISK_BAND} string", f"{col.EXPECTED_VALUE_AT_RISK} double"]
        + [f"{col.CUSTOMER_VALUE} double"]
        + [f"{name} string" for name in text_columns]
    )
    listed = ordered.mapInPandas(lay_out, schema=schema)
    if top is not None:
        listed = listed.filter(F.col(col.RANK) <= top)
    listed.write.mode("overwrite").parquet(out)


def _leader_reasons(ranked: RankedFile, model: ChurnModel, explainer: Any) -> dict[int, list[str]]:
    """Position -> segment, reasons and action, for the customers explained."""
    if explainer is None or not len(ranked.leaders):
        return {}
    frame, flagged = list_block(model, ranked, ranked.leaders, first_rank=1)
    head = explained_head(ranked, model, explainer, [(frame, flagged, ranked.leaders.positions)])
    texts = head[list(col.AT_RISK_COLUMNS[5:])].to_numpy(dtype=object)
    return {
        int(pos): [str(t) for t in row]
        for pos, row in zip(ranked.leaders.positions, texts, strict=True)
    }
