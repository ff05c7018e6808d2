"""Turn text columns that hold numbers or dates into real numbers and dates.

Exports from CRMs and spreadsheets write ``"$1,234.50"``, ``"12%"``, ``"1.234,50"``, ``" "`` for
blank, and dates in several formats within one column. Each conversion here is reported as a
warning that names the column, what was changed and where, so nothing happens silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from churn_core.errors import (
    DataWarning,
    example_rows,
    file_row_numbers,
    format_rows,
    join_words,
    plural,
    verb,
)

#: Share of non-blank values that must convert before a text column becomes numbers or dates.
CONVERT_SHARE = 0.95
LONG_TEXT_CHARS = 500

_CURRENCY = "$€£¥₹"
_NUMBER_CHARS = re.compile(rf"^[\s{_CURRENCY}+\-−(]*\d[\d\s.,'’]*[%{_CURRENCY}\s)]*$")
# After currency, spaces and percent signs are gone, a column is either US style
# (1,234.5) or European (1.234,5); evidence of each, and what a valid value looks like.
_US_EVIDENCE = re.compile(r"\.\d{1,2}$|\.\d{4,}$|,\d{3}\.")
_EU_EVIDENCE = re.compile(r",\d{1,2}$|,\d{4,}$|\.\d{3},")
_US_VALID = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[-+]?\.\d+$")
_EU_VALID = re.compile(r"^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
#: Words exports write for "no value". "NA" and "None" are left alone: they can be real values
#: (a North America region code, a "None" plan).
MISSING_WORDS = frozenset({"n/a", "#n/a", "null", "nan", "<na>", "#na", "-", "--", "?"})
_DATE_LIKE = re.compile(
    r"^\s*(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{2,4}|"
    r"[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{2,4})"
)
# Tried in this order; the first that reads most values wins, the rest fill in.
_DATE_FORMATS: tuple[tuple[str, str], ...] = (
    ("ISO8601", "year-month-day"),
    ("%d/%m/%Y", "day/month/year"),
    ("%m/%d/%Y", "month/day/year"),
    ("%d.%m.%Y", "day.month.year"),
    ("%d-%m-%Y", "day-month-year"),
    ("%m-%d-%Y", "month-day-year"),
    ("%Y/%m/%d", "year/month/day"),
    ("%m/%d/%Y %H:%M", "month/day/year hour:minute"),
    ("%d/%m/%Y %H:%M", "day/month/year hour:minute"),
    ("%d/%m/%y", "day/month/two-digit year"),
    ("%m/%d/%y", "month/day/two-digit year"),
    ("%d %b %Y", "day month-name year"),
    ("%d %B %Y", "day month-name year"),
    ("%b %d, %Y", "month-name day, year"),
    ("%B %d, %Y", "month-name day, year"),
)


@dataclass
class _Cells:
    """A text column as its distinct values: work once per value, then spread by code.

    Customer files repeat values heavily (a plan, a contract), so checking and converting
    distinct values instead of rows is what keeps profiling 100k rows within seconds.
    """

    codes: np.ndarray  # per row: index into ``text``; -1 for missing or blank
    text: pd.Series  # distinct values, stripped, none blank
    counts: np.ndarray  # rows holding each distinct value
    blank_rows: np.ndarray  # per row: the cell held only spaces
    numbers: Sequence[int] | None = None  # file row numbers, when not position + 2

    @classmethod
    def of(cls, series: pd.Series, numbers: Sequence[int] | None = None) -> _Cells:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        stripped = pd.Series(uniques, dtype=object).map(str).str.strip()
        blank = stripped.eq("").to_numpy(bool)
        blank_rows = np.zeros(len(codes), dtype=bool)
        if blank.any():
            blank_rows = (codes >= 0) & blank[np.maximum(codes, 0)]
            keep = np.flatnonzero(~blank)
            remap = np.full(len(uniques), -1, dtype=np.intp)
            remap[keep] = np.arange(len(keep))
            codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
            stripped = stripped[~blank].reset_index(drop=True)
        counts = np.bincount(codes[codes >= 0], minlength=len(stripped))
        return cls(codes, stripped, counts, blank_rows, numbers)

    @property
    def missing_words(self) -> np.ndarray:
        """Per distinct value: is it a word for "no value" such as n/a or NULL."""
        return self.text.str.lower().isin(MISSING_WORDS).to_numpy(bool)

    def example_rows(self, positions: np.ndarray) -> tuple[int, ...]:
        return example_rows(positions, numbers=self.numbers)

    @property
    def present(self) -> int:
        return int(self.counts.sum())

    def share(self, mask: np.ndarray, among: np.ndarray | None = None) -> float:
        """Share of non-blank cells (or of those in ``among``) whose value is in ``mask``."""
        total = self.counts[among].sum() if among is not None else self.present
        return float(self.counts[mask].sum() / total) if total else 0.0

    def rows_with(self, mask: np.ndarray) -> np.ndarray:
        """0-based positions of the rows whose value is in ``mask``."""
        return np.flatnonzero((self.codes >= 0) & mask[np.maximum(self.codes, 0)])

    def example(self, position: int) -> str:
        return str(self.text.iloc[self.codes[position]])


def clean_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[DataWarning]]:
    """Convert text columns holding numbers or dates; report every change.

    Returns a new frame and the warnings. Columns that are genuinely text are kept as text,
    with blank-looking cells (``" "``) made missing.
    """
    out = frame.copy()
    numbers = file_row_numbers(frame)
    warnings: list[DataWarning] = []
    for column in frame.columns:
        series = frame[column]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        cells = _Cells.of(series, numbers)
        converted, column_warnings = _to_number(column, cells)
        if converted is None:
            converted, column_warnings = _to_date(column, cells)
        if converted is None:
            converted, column_warnings = _as_text(column, cells)
        out[column] = converted.to_numpy()  # positional: never aligned on the index
        warnings.extend(column_warnings)
    for column in out.columns:
        dates, warning = _number_dates(column, out[column], numbers)
        if dates is not None and warning is not None:
            out[column] = dates.to_numpy()
            warnings.append(warning)
    return out, warnings


#: Words in a column name that say it holds dates ("OrderDate", "txn_day", "ts").
_DATE_NAME_WORDS = frozenset(
    {"date", "dates", "day", "dt", "time", "timestamp", "ts", "when", "ymd", "yyyymmdd", "period"}
)
_ID_NAME_WORDS = frozenset({"id", "key", "code", "no", "nr", "number", "num", "ref", "reference"})


def _number_dates(
    column: str, series: pd.Series, numbers: Sequence[int] | None
) -> tuple[pd.Series | None, DataWarning | None]:
    """Dates written as YYYYMMDD numbers (``19970101``), read as dates when it is clear.

    Every value must be a whole number that is a real calendar day between 1900 and 2100, and
    either the name says dates ("OrderDate", "day") or the values span more than one month.
    An id never does both: a run of 8-digit ids crosses a month only through an impossible day
    such as 20240132, and random ids are rarely all real days. Columns named like ids are never
    read as dates.

    >>> s, w = _number_dates("Column C", pd.Series([19970101, 19970218, 19970101]), None)
    >>> s.dt.strftime("%Y-%m-%d").tolist()
    ['1997-01-01', '1997-02-18', '1997-01-01']
    >>> _number_dates("Column A", pd.Series([20240101, 20240102, 20240131]), None)[0] is None
    True
    """
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return None, None
    words = set(_words(column))
    if words & _ID_NAME_WORDS:
        return None, None
    values = series.dropna().to_numpy(dtype=float)
    if len(values) == 0 or values.min() < 19000101 or values.max() > 21001231:
        return None, None
    if not np.all(values == np.round(values)):
        return None, None
    distinct = np.unique(values.astype(np.int64))
    parsed = pd.to_datetime(pd.Series(distinct.astype(str)), format="%Y%m%d", errors="coerce")
    if parsed.isna().any():
        return None, None
    months = np.unique(distinct // 100)
    if not (words & _DATE_NAME_WORDS) and len(months) < 2:
        return None, None
    present = series.notna().to_numpy(bool)
    out = np.full(len(series), np.datetime64("NaT"), dtype="datetime64[ns]")
    where = np.searchsorted(distinct, series[present].to_numpy().astype(np.int64))
    out[present] = parsed.to_numpy()[where]
    first = int(np.flatnonzero(present)[0])
    example, read_as = int(distinct[0]), parsed.iloc[0].strftime("%-d %B %Y")
    warning = DataWarning(
        f"{column} holds dates written as numbers (year, month, day: {example} = {read_as}); "
        "they were read as dates.",
        column=column,
        rows=example_rows([first], numbers=numbers),
        fix="Nothing to do; check a few values on the Data page look right.",
        code="number_dates",
    )
    return pd.Series(out, dtype="datetime64[ns]"), warning


def _words(name: str) -> list[str]:
    """``"OrderDate"`` -> ``["order", "date"]`` (as churn_core.schema.name_words splits)."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


def _to_number(column: str, cells: _Cells) -> tuple[pd.Series | None, list[DataWarning]]:
    text = cells.text
    if text.empty:
        return None, []
    if _sample_share(text, _NUMBER_CHARS) < 0.5:
        return None, []  # cheap early exit for ids, emails and names
    words = cells.missing_words
    looks_numeric = text.str.match(_NUMBER_CHARS).to_numpy(bool)
    if cells.share(looks_numeric, among=~words) < CONVERT_SHARE:
        return None, []
    if text[looks_numeric].str.match(r"^0\d+$").any():
        return None, []  # zero-padded codes (ids, postcodes) stay text, zeros and all
    core = text.str.replace(rf"[\s{_CURRENCY}%'’]", "", regex=True)
    negative = (core.str.startswith("(") & core.str.endswith(")")).to_numpy(bool)
    core = core.str.strip("()").str.replace("−", "-", regex=False)
    european = bool(core.str.contains(_EU_EVIDENCE).any()) and not bool(
        core.str.contains(_US_EVIDENCE).any()
    )
    valid = core.str.match(_EU_VALID if european else _US_VALID).to_numpy(bool)
    if european:
        core = core.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        core = core.str.replace(",", "", regex=False)
    numbers = pd.to_numeric(core.where(valid), errors="coerce").to_numpy(float)
    numbers = np.where(negative, -numbers, numbers)
    failed = np.isnan(numbers)
    codes = (text.str.contains(r"[A-Za-z]") & text.str.contains(r"\d")).to_numpy(bool)
    if cells.share(failed & ~words, among=~words) > 1 - CONVERT_SHARE or codes[failed].any():
        return None, []  # "C537893" among numbers is a code, not a typo: keep the column as text

    changes = []
    if text.str.contains(f"[{re.escape(_CURRENCY)}]").any():
        changes.append("currency symbols")
    grouped = text.str.contains(r"\d[,.'’ ]\d{3}").any() and core.str.contains(r"\d{4}").any()
    if grouped and not european:
        changes.append("thousands separators")
    if european:
        changes.append("decimal commas (1.234,5 = 1234.5)")
    if text.str.contains("%").any():
        changes.append("percent signs (12% is read as 12)")
    if negative.any():
        changes.append("brackets for negative numbers")
    warnings: list[DataWarning] = []
    if changes:
        warnings.append(
            DataWarning(
                f"{column} holds numbers written as text; removed {join_words(changes)} and read "
                "them as numbers.",
                column=column,
                rows=cells.example_rows(np.flatnonzero(cells.codes >= 0)[:1]),
                fix="Nothing to do; check a few values on the Data page look right.",
                code="numbers_as_text",
            )
        )
    if cells.blank_rows.any():
        rows = cells.example_rows(np.flatnonzero(cells.blank_rows))
        warnings.append(
            DataWarning(
                f"{column} has {plural(int(cells.blank_rows.sum()), 'blank cell')} holding only "
                f"spaces ({format_rows(rows)}); they are treated as missing.",
                column=column,
                rows=rows,
                fix="Leave cells truly empty in the export if the value is unknown.",
                code="blank_strings",
            )
        )
    if failed.any():
        idx = cells.rows_with(failed)
        warnings.append(
            DataWarning(
                f"{column} is a number column but {plural(len(idx), 'cell')} "
                f"{verb(len(idx), 'holds', 'hold')} text, "
                f"e.g. {_quote_rows(cells, idx)}; they are treated as missing.",
                column=column,
                rows=cells.example_rows(idx),
                fix="Replace those cells with a number, or leave them empty if unknown.",
                code="text_in_numbers",
            )
        )
    values = np.where(cells.codes >= 0, numbers[np.maximum(cells.codes, 0)], np.nan)
    return pd.Series(values, dtype="float64"), warnings


def _to_date(column: str, cells: _Cells) -> tuple[pd.Series | None, list[DataWarning]]:
    text = cells.text
    if text.empty or _sample_share(text, _DATE_LIKE) < 0.5:
        return None, []
    words = cells.missing_words
    if cells.share(text.str.match(_DATE_LIKE).to_numpy(bool), among=~words) < CONVERT_SHARE:
        return None, []
    sample = text.iloc[:2000]
    scores = []
    for fmt, label in _DATE_FORMATS:
        parsed = pd.to_datetime(sample, format=fmt, errors="coerce")
        scores.append((int(parsed.notna().sum()), fmt, label))
    scores.sort(key=lambda s: -s[0])
    ambiguous = _ambiguous_order(scores)
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    used: list[tuple[str, int, int]] = []  # (label, rows, first row position)
    for hits, fmt, label in scores:
        remaining = result.isna().to_numpy(bool)
        if hits == 0 or not remaining.any():
            break
        parsed = pd.to_datetime(text[remaining], format=fmt, errors="coerce")
        ok = parsed.notna()
        if ok.any():
            result.loc[parsed.index[ok]] = parsed[ok]
            mask = np.zeros(len(text), dtype=bool)
            mask[parsed.index[ok]] = True
            used.append((label, int(cells.counts[mask].sum()), int(cells.rows_with(mask)[0])))
    failed = result.isna().to_numpy(bool)
    if cells.share(failed & ~words, among=~words) > 1 - CONVERT_SHARE:
        return None, []
    used = _merge_same_label(used)
    warnings: list[DataWarning] = []
    if ambiguous is not None and len(used) == 1:
        first = used[0][2]
        example = cells.example(first)
        read_as = result.iloc[cells.codes[first]].strftime("%-d %B %Y")
        rows = cells.example_rows(np.array([first]))
        warnings.append(
            DataWarning(
                f'{column} has dates such as "{example}" that could be day/month or month/day; '
                f"they were read as {ambiguous} ({example} = {read_as}).",
                column=column,
                rows=rows,
                fix="If that is wrong, export dates as year-month-day (such as 2024-01-31).",
                code="ambiguous_dates",
            )
        )
    if len(used) > 1:
        parts = [
            f'{plural(count, "row")} like "{cells.example(first)}" ({label})'
            for label, count, first in used
        ]
        rows = tuple(sorted(cells.example_rows(np.array([first for _, _, first in used]))))
        warnings.append(
            DataWarning(
                f"{column} mixes date formats: {join_words(parts)}; all were read as dates.",
                column=column,
                rows=rows,
                fix=f"Check {format_rows(rows)} mean what you expect, and use one date format "
                "(such as 2024-01-31) in the export.",
                code="mixed_date_formats",
            )
        )
    if failed.any():
        idx = cells.rows_with(failed)
        warnings.append(
            DataWarning(
                f"{column} is a date column but {plural(len(idx), 'cell')} could not be read as "
                f"dates, e.g. {_quote_rows(cells, idx)}; they are treated as missing.",
                column=column,
                rows=cells.example_rows(idx),
                fix="Correct those cells or leave them empty if unknown.",
                code="bad_dates",
            )
        )
    dates = result.to_numpy()
    values = np.where(cells.codes >= 0, dates[np.maximum(cells.codes, 0)], np.datetime64("NaT"))
    return pd.Series(values, dtype="datetime64[ns]"), warnings


_DAY_MONTH_PAIRS = {
    "%d/%m/%Y": "%m/%d/%Y", "%d-%m-%Y": "%m-%d-%Y", "%d/%m/%y": "%m/%d/%y",
    "%d/%m/%Y %H:%M": "%m/%d/%Y %H:%M",
}  # fmt: skip


def _ambiguous_order(scores: list[tuple[int, str, str]]) -> str | None:
    """ "day/month" or "month/day" when the best format and its swap read equally many dates."""
    hits, best, _ = scores[0]
    pairs = {**_DAY_MONTH_PAIRS, **{v: k for k, v in _DAY_MONTH_PAIRS.items()}}
    swap = pairs.get(best)
    if hits == 0 or swap is None:
        return None
    if next(h for h, fmt, _ in scores if fmt == swap) != hits:
        return None
    return "day/month" if best.startswith("%d") else "month/day"


def _merge_same_label(used: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """One entry per format name ("5 Jan 2023" and "10 February 2023" are one format)."""
    merged: dict[str, tuple[str, int, int]] = {}
    for label, count, first in used:
        if label in merged:
            _, seen, earliest = merged[label]
            merged[label] = (label, seen + count, min(earliest, first))
        else:
            merged[label] = (label, count, first)
    return list(merged.values())


def _as_text(column: str, cells: _Cells) -> tuple[pd.Series, list[DataWarning]]:
    """The column as text; words meaning "no value" (n/a, NULL) become missing, and are listed."""
    words = cells.missing_words
    values = cells.text.to_numpy(dtype=object)
    per_row = np.full(len(cells.codes), np.nan, dtype=object)
    known = cells.codes >= 0
    per_row[known] = values[cells.codes[known]]
    warnings = _text_warnings(column, cells)
    if words.any():
        idx = cells.rows_with(words)
        per_row[idx] = np.nan
        shown = ", ".join(f'"{w}"' for w in cells.text[words].iloc[:3])
        rows = cells.example_rows(idx)
        warnings.append(
            DataWarning(
                f"{column} has {plural(len(idx), 'cell')} saying {shown} "
                f"({format_rows(rows)}); {verb(len(idx), 'it is', 'they are')} treated as "
                "missing.",
                column=column,
                rows=rows,
                fix="Nothing to do; leave cells empty in the export when the value is unknown.",
                code="missing_words",
            )
        )
    return pd.Series(per_row, dtype=object), warnings


def _text_warnings(column: str, cells: _Cells) -> list[DataWarning]:
    warnings: list[DataWarning] = []
    text = cells.text
    if text.empty:
        return warnings
    formula = text.str.startswith(("=", "@")).to_numpy(bool)
    if formula.any():
        idx = cells.rows_with(formula)
        rows = cells.example_rows(idx)
        warnings.append(
            DataWarning(
                f"{column} has {plural(len(idx), 'cell')} starting with = or @ "
                f"({format_rows(rows)}); spreadsheets could run them as formulas.",
                column=column,
                rows=rows,
                fix="Nothing to do: they are kept as plain text, and every download from this "
                "app neutralises them.",
                code="formula_cells",
            )
        )
    lengths = text.str.len().to_numpy()
    longest = int(np.argmax(lengths))
    if lengths[longest] > LONG_TEXT_CHARS:
        mask = np.zeros(len(text), dtype=bool)
        mask[longest] = True
        row = cells.example_rows(cells.rows_with(mask)[:1])[0]
        warnings.append(
            DataWarning(
                f"{column} has very long text (up to {int(lengths[longest]):,} characters, "
                f"row {row}); long free text is shown shortened and not used by the model.",
                column=column,
                rows=(row,),
                code="long_text",
            )
        )
    return warnings


def _sample_share(text: pd.Series, pattern: re.Pattern[str], size: int = 500) -> float:
    """Share of the first distinct values matching ``pattern``: a quick screen, not a verdict."""
    return float(text.iloc[:size].str.match(pattern).mean())


def _quote_rows(cells: _Cells, positions: np.ndarray) -> str:
    """``row 14: "$29.99", row 87: "n/a"`` for the first few positions."""
    rows = cells.example_rows(positions)
    return ", ".join(
        f'row {r}: "{cells.example(int(i))}"' for r, i in zip(rows, positions, strict=False)
    )
