"""Turn text columns that hold numbers or dates into real numbers and dates.

Exports from CRMs and spreadsheets write ``"$1,234.50"``, ``"12%"``, ``"1.234,50"``, ``" "`` for
blank, and dates in several formats within one column. Each conversion here is reported as a
warning that names the column, what was changed and where, so nothing happens silently.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from churn_core.errors import DataWarning, example_rows, format_rows, plural

#: Share of non-blank values that must convert before a text column becomes numbers or dates.
CONVERT_SHARE = 0.95
LONG_TEXT_CHARS = 500

_CURRENCY = "$€£¥₹"
_NUMBER_CHARS = re.compile(rf"^[\s{_CURRENCY}+\-−(]*\d[\d\s.,'’]*[%{_CURRENCY}\s)]*$")
_US_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_EU_DECIMAL = re.compile(r"^\d+(\.\d{3})*,\d+$")
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


def clean_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[DataWarning]]:
    """Convert text columns holding numbers or dates; report every change.

    Returns a new frame and the warnings. Columns that are genuinely text are kept as text,
    with blank-looking cells (``" "``) made missing.
    """
    out = frame.copy()
    warnings: list[DataWarning] = []
    for column in frame.columns:
        series = frame[column]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        text = series.astype("string").str.strip()
        blank = text.eq("").fillna(False).to_numpy(bool)
        text = text.mask(blank)
        converted, column_warnings = _to_number(column, text, blank)
        if converted is None:
            converted, column_warnings = _to_date(column, text)
        if converted is None:
            converted = text.astype(object).where(text.notna(), np.nan)
            column_warnings = _text_warnings(column, text)
        out[column] = converted
        warnings.extend(column_warnings)
    return out, warnings


def _to_number(
    column: str, text: pd.Series, blank: np.ndarray
) -> tuple[pd.Series | None, list[DataWarning]]:
    present = text.dropna()
    if present.empty:
        return None, []
    looks_numeric = present.str.match(_NUMBER_CHARS)
    if looks_numeric.mean() < CONVERT_SHARE:
        return None, []
    candidates = present[looks_numeric]
    european = bool(candidates.str.match(_EU_DECIMAL).any()) and not bool(
        candidates.str.match(_US_GROUPED).any()
    )
    stripped = text.str.replace(rf"[\s{_CURRENCY}%'’]", "", regex=True)
    negative = stripped.str.startswith("(") & stripped.str.endswith(")")
    stripped = stripped.str.strip("()").str.replace("−", "-", regex=False)
    if european:
        stripped = stripped.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        stripped = stripped.str.replace(",", "", regex=False)
    numbers = pd.to_numeric(stripped, errors="coerce")
    numbers = numbers.where(~negative.fillna(False), -numbers)
    failed = text.notna() & numbers.isna()
    if failed.sum() > (1 - CONVERT_SHARE) * len(present) or text[failed].str.contains(r"\d").any():
        return None, []  # "C537893" among numbers is a code, not a typo: keep the column as text

    changes = []
    if present.str.contains(f"[{re.escape(_CURRENCY)}]").any():
        changes.append("currency symbols")
    if present.str.contains(r"\d[,.'’]\d{3}(?:\D|$)").any() and not european:
        changes.append("thousands separators")
    if european:
        changes.append("decimal commas (1.234,5 = 1234.5)")
    if present.str.contains("%").any():
        changes.append("percent signs (12% is read as 12)")
    if negative.fillna(False).any():
        changes.append("brackets for negative numbers")
    warnings: list[DataWarning] = []
    if changes:
        warnings.append(
            DataWarning(
                f"{column} holds numbers written as text; removed {_join(changes)} and read "
                "them as numbers.",
                column=column,
                rows=example_rows(np.flatnonzero(text.notna().to_numpy(bool))[:1]),
                fix="Nothing to do; check a few values on the Data page look right.",
                code="numbers_as_text",
            )
        )
    if blank.any():
        rows = example_rows(np.flatnonzero(blank))
        warnings.append(
            DataWarning(
                f"{column} has {plural(int(blank.sum()), 'blank cell')} holding only spaces "
                f"({format_rows(rows)}); they are treated as missing.",
                column=column,
                rows=rows,
                fix="Leave cells truly empty in the export if the value is unknown.",
                code="blank_strings",
            )
        )
    if failed.any():
        idx = np.flatnonzero(failed.to_numpy(bool))
        shown = _quote_rows(text, idx)
        warnings.append(
            DataWarning(
                f"{column} is a number column but {plural(len(idx), 'cell')} hold text, "
                f"e.g. {shown}; they are treated as missing.",
                column=column,
                rows=example_rows(idx),
                fix="Replace those cells with a number, or leave them empty if unknown.",
                code="text_in_numbers",
            )
        )
    return numbers.astype("float64"), warnings


def _to_date(column: str, text: pd.Series) -> tuple[pd.Series | None, list[DataWarning]]:
    present = text.dropna()
    if present.empty or present.str.match(_DATE_LIKE).mean() < CONVERT_SHARE:
        return None, []
    sample = present.iloc[:2000]
    scores = []
    for fmt, label in _DATE_FORMATS:
        parsed = pd.to_datetime(sample, format=fmt, errors="coerce")
        scores.append((int(parsed.notna().sum()), fmt, label))
    scores.sort(key=lambda s: -s[0])
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    used: list[tuple[str, int, int]] = []  # (label, count, first position)
    remaining = text.notna()
    for hits, fmt, label in scores:
        if hits == 0 or not remaining.any():
            break
        parsed = pd.to_datetime(text[remaining], format=fmt, errors="coerce")
        ok = parsed.notna()
        if ok.any():
            result.loc[parsed.index[ok]] = parsed[ok]
            first = int(np.flatnonzero(text.index.isin(parsed.index[ok]))[0])
            used.append((label, int(ok.sum()), first))
            remaining = remaining & result.isna()
    failed = text.notna() & result.isna()
    if failed.sum() > (1 - CONVERT_SHARE) * len(present):
        return None, []
    warnings: list[DataWarning] = []
    if len(used) > 1:
        parts = [
            f'{plural(count, "row")} like "{text.iloc[first]}" ({label})'
            for label, count, first in used
        ]
        rows = tuple(sorted(example_rows([first for _, _, first in used])))
        warnings.append(
            DataWarning(
                f"{column} mixes date formats: {_join(parts)}; all were read as dates.",
                column=column,
                rows=rows,
                fix=f"Check {format_rows(rows)} mean what you expect, and use one date format "
                "(such as 2024-01-31) in the export.",
                code="mixed_date_formats",
            )
        )
    if failed.any():
        idx = np.flatnonzero(failed.to_numpy(bool))
        shown = _quote_rows(text, idx)
        warnings.append(
            DataWarning(
                f"{column} is a date column but {plural(len(idx), 'cell')} could not be read as "
                f"dates, e.g. {shown}; they are treated as missing.",
                column=column,
                rows=example_rows(idx),
                fix="Correct those cells or leave them empty if unknown.",
                code="bad_dates",
            )
        )
    return result, warnings


def _text_warnings(column: str, text: pd.Series) -> list[DataWarning]:
    warnings: list[DataWarning] = []
    formula = text.str.match(r"^[=@]").fillna(False).to_numpy(bool)
    if formula.any():
        rows = example_rows(np.flatnonzero(formula))
        warnings.append(
            DataWarning(
                f"{column} has {plural(int(formula.sum()), 'cell')} starting with = or @ "
                f"({format_rows(rows)}); spreadsheets could run them as formulas.",
                column=column,
                rows=rows,
                fix="Nothing to do: they are kept as plain text, and every download from this "
                "app neutralises them.",
                code="formula_cells",
            )
        )
    lengths = text.str.len()
    if lengths.max(skipna=True) > LONG_TEXT_CHARS:
        pos = int(np.nanargmax(lengths.to_numpy(dtype=float, na_value=np.nan)))
        warnings.append(
            DataWarning(
                f"{column} has very long text (up to {int(lengths.iloc[pos]):,} characters, "
                f"row {pos + 2}); long free text is shown shortened and not used by the model.",
                column=column,
                rows=(pos + 2,),
                code="long_text",
            )
        )
    return warnings


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _quote_rows(text: pd.Series, positions: np.ndarray) -> str:
    """``row 14: "$29.99", row 87: "n/a"`` for the first few positions."""
    rows = example_rows(positions)
    return ", ".join(f'row {r}: "{text.iloc[i]}"' for r, i in zip(rows, positions, strict=False))
