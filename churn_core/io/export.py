"""The at-risk list as files a spreadsheet opens safely (docs/architecture.md, "The at-risk list").

Every export goes through :func:`neutralise_formulas` first: a customer note like
``=HYPERLINK(...)`` or a column called ``=cmd`` must reach the user as text, never run as a formula
(the OWASP CSV-injection advice).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path, PurePath

import numpy as np
import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from churn_core.columns import (
    CHURN_PROBABILITY,
    CUSTOMER_VALUE,
    DISPLAY_NAMES,
    EXPECTED_VALUE_AT_RISK,
)

#: Characters that make a spreadsheet read a cell as a formula when they come first.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

#: Decimals written to CSV when the caller gives none: probabilities 4, money 2.
DEFAULT_DECIMALS: Mapping[str, int] = {
    CHURN_PROBABILITY: 4,
    EXPECTED_VALUE_AT_RISK: 2,
    CUSTOMER_VALUE: 2,
}

PERCENT_FORMAT = "0.0%"
MONEY_FORMAT = "#,##0.00"
MONEY_COLUMNS: tuple[str, ...] = (EXPECTED_VALUE_AT_RISK, CUSTOMER_VALUE)
MAX_COLUMN_WIDTH = 50
ABOUT_SHEET = "About this list"
#: Currency codes shown as their symbol in front of the amount; other codes follow it.
CURRENCY_SYMBOLS: Mapping[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
#: Rows an Excel sheet holds below its header row.
MAX_EXCEL_ROWS = 1_048_575

# Object columns whose text cells the pandas ``.str`` accessor can test.
_TEXT_KINDS = {"string", "mixed", "mixed-integer"}
# Control characters an .xlsx file cannot hold (openpyxl raises IllegalCharacterError).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A carriage return inside a cell: Python's csv module does not quote it when rows end in "\n"
# (the row would break in two), and XML readers turn it into "\n" anyway.
_CARRIAGE_RETURN = re.compile(r"\r\n?")
_TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".xlsm", ".parquet", ".json"}


def _holds_text(values: pd.Series | pd.Index) -> bool:
    """True for string columns and object columns with at least some text cells."""
    if isinstance(values.dtype, pd.StringDtype):
        return True
    return values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in _TEXT_KINDS


def _neutralise_text(values: pd.Series | pd.Index) -> np.ndarray | None:
    """The values with formula-like text quoted, as an object array; None when nothing changes."""
    if not _holds_text(values):
        return None
    if values.dtype == object:  # a plain loop over the cells: 5x faster than .str on 1M rows
        cells = _distinct_or_all(values.to_numpy(dtype=object))
        mask = np.fromiter(
            (isinstance(v, str) and v.startswith(FORMULA_PREFIXES) for v in cells),
            dtype=bool,
            count=len(cells),
        )
        if len(cells) < len(values):  # one value repeated: the answer for every cell
            mask = np.repeat(mask, len(values))
    else:
        starts = values.str.startswith(FORMULA_PREFIXES)
        mask = np.asarray(pd.array(starts, dtype="boolean").fillna(False), dtype=bool)
    if not mask.any():
        return None
    out = values.to_numpy(dtype=object, copy=True)
    out[mask] = "'" + out[mask]
    return out


def _neutralise_column(column: pd.Series) -> pd.Series | None:
    """One column with formula-like text quoted; None when nothing changes."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = _neutralise_text(column.cat.categories)
        if categories is None:
            return None
        if pd.Index(categories).is_unique:
            return column.cat.rename_categories(list(categories))
        column = column.astype(object)
    values = _neutralise_text(column)
    if values is None:
        return None
    dtype = column.dtype if isinstance(column.dtype, pd.StringDtype) else object
    return pd.Series(values, index=column.index, name=column.name, dtype=dtype)


def _neutralise_name(name: object) -> object:
    if isinstance(name, str) and name.startswith(FORMULA_PREFIXES):
        return "'" + name
    return name


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and column names can't run as spreadsheet formulas.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    single quote (OWASP CSV-injection advice). Numbers, including negative ones stored as
    numbers, and missing values are left as they are. Works column by column with pandas string
    methods, so a million rows take about a second.

    Parameters
    ----------
    frame : pd.DataFrame
        Any table; it is not changed.

    Returns
    -------
    pd.DataFrame
        A new frame with the same index, dtypes and order of columns.

    Examples
    --------
    >>> f = pd.DataFrame({"=cmd": ["=1+1", "-2", "ok", None], "n": [-1, 2, 3, 4]})
    >>> neutralise_formulas(f)
       '=cmd  n
    0  '=1+1 -1
    1    '-2  2
    2     ok  3
    3   None  4
    """
    out = frame.copy()
    for position in range(out.shape[1]):
        column = _neutralise_column(out.iloc[:, position])
        if column is not None:
            out.isetitem(position, column)
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.MultiIndex.from_tuples(
            [tuple(_neutralise_name(part) for part in name) for name in out.columns],
            names=out.columns.names,
        )
    else:
        out.columns = pd.Index([_neutralise_name(name) for name in out.columns], dtype=object)
    return out


def _round_columns(frame: pd.DataFrame, decimals: Mapping[str, int]) -> pd.DataFrame:
    """A copy with the named float columns rounded; other and missing names are ignored."""
    out = frame.copy()
    for position, name in enumerate(out.columns):
        if name in decimals and pd.api.types.is_float_dtype(out.iloc[:, position]):
            out.isetitem(position, out.iloc[:, position].round(decimals[name]))
    return out


def to_csv_bytes(frame: pd.DataFrame, decimals: Mapping[str, int] | None = None) -> bytes:
    """The table as a CSV download: formulas neutralised, UTF-8 with BOM, ``\\n`` line endings.

    The byte order mark makes Excel read accents correctly; the index is not written. Line
    breaks inside a cell are written as ``\\n`` (a carriage return would split the row).

    Parameters
    ----------
    frame : pd.DataFrame
        The table to export, e.g. the at-risk list.
    decimals : Mapping[str, int], optional
        Decimals per float column. By default ``churn_probability`` keeps 4 and
        ``expected_value_at_risk`` / ``customer_value`` keep 2, where present.

    Returns
    -------
    bytes
        The file's content.

    Examples
    --------
    >>> f = pd.DataFrame({"churn_probability": [0.123456], "note": ["=SUM(A1)"]})
    >>> to_csv_bytes(f)
    b"\\xef\\xbb\\xbfchurn_probability,note\\n0.1235,'=SUM(A1)\\n"
    """
    return _csv_bytes(frame, decimals, first=True)


def iter_csv_bytes(
    frames: Iterable[pd.DataFrame], decimals: Mapping[str, int] | None = None
) -> Iterator[bytes]:
    """:func:`to_csv_bytes` of the frames one under another, a block at a time: the same bytes
    as ``to_csv_bytes(pd.concat(frames))`` without holding the whole table. The byte order mark
    and the header come with the first block (give at least one frame, even an empty one).
    """
    for i, frame in enumerate(frames):
        yield _csv_bytes(frame, decimals, first=i == 0)


def _csv_bytes(frame: pd.DataFrame, decimals: Mapping[str, int] | None, *, first: bool) -> bytes:
    rounded = _round_columns(frame, DEFAULT_DECIMALS if decimals is None else decimals)
    safe = _replace_in_text(neutralise_formulas(rounded), _CARRIAGE_RETURN, "\n")
    text = _plain_csv(safe, header=first)
    if text is None:
        text = safe.to_csv(index=False, header=first, lineterminator="\n")
    return text.encode("utf-8-sig" if first else "utf-8")


def _plain_csv(frame: pd.DataFrame, *, header: bool) -> str | None:
    """What ``frame.to_csv(index=False, lineterminator="\\n")`` writes, 40 % faster, for
    frames of numbers, yes/no and object columns (None for any other: pandas writes those).

    The same cells go to the same ``csv.writer`` as in pandas, except floats, written by
    Python's ``repr``: the shortest digits that read back the same, as numpy's ``astype(str)``
    gives them to pandas (a test compares the two on millions of values); missing is empty.
    """
    if frame.shape[1] == 0 or isinstance(frame.columns, pd.MultiIndex):
        return None
    cells: list[list[object]] = []
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else ""
        if not kind or kind not in "fiubO" or (kind == "f" and column.dtype != np.float64):
            return None
        values = column.to_numpy()
        listed = values.tolist()
        missing = np.isnan(values) if kind == "f" else pd.isna(values) if kind == "O" else None
        if missing is not None:
            for i in np.flatnonzero(missing):
                listed[i] = ""
        cells.append(listed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")  # pandas' dialect: minimal quoting, '"'
    if header:
        writer.writerow(list(frame.columns))
    writer.writerows(zip(*cells, strict=True))
    return buffer.getvalue()


def write_parquet(frames: Iterable[pd.DataFrame], path: str | Path) -> int:
    """The frames one under another as one Parquet file, written a block at a time (pyarrow).

    For programs, not spreadsheets: values keep full precision and text is written as it is.
    Text columns holding other values too (an id that is sometimes a number) are written as
    text. Returns the number of rows written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer: pq.ParquetWriter | None = None
    schema = None
    rows = 0
    try:
        for frame in frames:
            table = pa.Table.from_pandas(_for_parquet(frame), schema=schema, preserve_index=False)
            if writer is None:
                schema = table.schema
                writer = pq.ParquetWriter(str(path), schema)
            writer.write_table(table)
            rows += len(frame)
    finally:
        if writer is not None:
            writer.close()
    return rows


def _for_parquet(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns mixing text with other values, or all missing, as text."""
    out = frame.copy()
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) != "string":
            text = column.map(lambda v: v if pd.isna(v) else str(v))
            out.isetitem(position, text.astype("string"))
    return out


def _replace_in_text(frame: pd.DataFrame, pattern: re.Pattern[str], new: str) -> pd.DataFrame:
    """A copy with ``pattern`` replaced by ``new`` in every text cell and column name."""
    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if isinstance(column.dtype, pd.CategoricalDtype) and _holds_text(column.cat.categories):
            column = column.astype(object)
        if not _holds_text(column) or not _any_match(column, pattern):
            continue
        changed = column.str.replace(pattern, new, regex=True)
        # Non-text cells in a mixed column come back missing from .str: keep the originals.
        out.isetitem(position, changed.where(changed.notna(), column))
    if not isinstance(out.columns, pd.MultiIndex):
        names = [pattern.sub(new, n) if isinstance(n, str) else n for n in out.columns]
        out.columns = pd.Index(names, dtype=object)
    return out


def _any_match(column: pd.Series, pattern: re.Pattern[str]) -> bool:
    """Does any text cell hold ``pattern``? One search over the cells joined by a line feed,
    which neither pattern used here can match alone: 20x faster than testing cell by cell."""
    cells = _distinct_or_all(column.to_numpy(dtype=object))
    return bool(pattern.search("\n".join(v for v in cells if isinstance(v, str))))


def _distinct_or_all(cells: np.ndarray) -> np.ndarray:
    """The one value of a column that holds a single value (an empty reasons column of a
    long list), else every cell: a column-wide answer without a loop over a million cells."""
    if len(cells) < 2 or not isinstance(cells[0], str):
        return cells
    try:
        same = bool((cells == cells[0]).all())
    except TypeError:  # a cell such as pd.NA has no truth value: not one value anyway
        same = False
    return cells[:1] if same else cells


def _display_width(column: pd.Series, name: object, number_format: str | None = None) -> int:
    """Characters needed to show the header and the widest cell, capped."""
    header = len(str(name))
    values = column.dropna()
    numeric = pd.api.types.is_numeric_dtype(values)
    if values.empty:
        width = 0
    elif numeric and number_format == PERCENT_FORMAT:
        width = len(f"{values.abs().max():.1%}") + 1
    elif numeric and number_format is not None:
        extra = len(number_format) - len(MONEY_FORMAT)  # the currency's characters
        width = len(f"{values.abs().max():,.2f}") + 1 + max(extra - 2, 0)
    else:
        width = int(values.astype(str).str.len().max())
    return min(max(header, width) + 2, MAX_COLUMN_WIDTH)


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "At-risk customers") -> bytes:
    """The table as an Excel workbook: formulas neutralised, bold frozen header, fitted columns.

    ``churn_probability`` shows as a percent (``0.0%``) and the money columns with thousands
    separators; the values themselves keep full precision. Text is always written as text;
    control characters a workbook cannot hold are dropped and in-cell line breaks become ``\\n``.

    Parameters
    ----------
    frame : pd.DataFrame
        The table to export, e.g. the at-risk list.
    sheet_name : str, default "At-risk customers"
        The worksheet's name (Excel allows 31 characters).

    Returns
    -------
    bytes
        The .xlsx file's content.

    Raises
    ------
    ValueError
        If the table has more rows than an Excel sheet holds.

    Examples
    --------
    >>> data = to_xlsx_bytes(pd.DataFrame({"churn_probability": [0.5], "note": ["=1+1"]}))
    >>> data[:2]
    b'PK'
    """
    _check_rows(frame)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        formats = {name: _FORMATS[name] for name in frame.columns if name in _FORMATS}
        _write_sheet(writer, frame, sheet_name, formats)
    return buffer.getvalue()


def _check_rows(frame: pd.DataFrame) -> None:
    if len(frame) > MAX_EXCEL_ROWS:
        raise ValueError(
            f"This list has {len(frame):,} rows; an Excel sheet holds at most "
            f"{MAX_EXCEL_ROWS:,}. Download it as CSV instead, or filter the list first."
        )


_FORMATS = {CHURN_PROBABILITY: PERCENT_FORMAT, **dict.fromkeys(MONEY_COLUMNS, MONEY_FORMAT)}


def _write_sheet(
    writer: pd.ExcelWriter, frame: pd.DataFrame, sheet_name: str, formats: Mapping[object, str]
) -> None:
    """One sheet: text made safe, bold frozen header, fitted widths, ``formats`` by column name."""
    safe = neutralise_formulas(_replace_in_text(frame, _ILLEGAL_XLSX, ""))
    safe = _replace_in_text(safe, _CARRIAGE_RETURN, "\n")
    safe.to_excel(writer, sheet_name=sheet_name, index=False)
    sheet = writer.sheets[sheet_name]
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for position, name in enumerate(frame.columns):
        index = position + 1
        letter = get_column_letter(index)
        number_format = formats.get(name)
        width = _display_width(safe.iloc[:, position], safe.columns[position], number_format)
        sheet.column_dimensions[letter].width = width
        if number_format is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = number_format


def get_money_format(currency: str | None = None) -> str:
    """An Excel number format for money, with the currency when one is set.

    >>> get_money_format(), get_money_format("EUR"), get_money_format("CHF")
    ('#,##0.00', '"€"#,##0.00', '#,##0.00 "CHF"')
    """
    code = (currency or "").strip()
    if not code:
        return MONEY_FORMAT
    symbol = CURRENCY_SYMBOLS.get(code.upper(), code if len(code) == 1 else "")
    shown = symbol or code.upper()
    quoted = '"' + shown.replace('"', "") + '"'
    return f"{quoted}{MONEY_FORMAT}" if symbol else f"{MONEY_FORMAT} {quoted}"


def format_money(value: float | None, currency: str | None = None, decimals: int = 0) -> str:
    """An amount as a person reads it: ``format_money(1234.56, "EUR")`` -> ``"€1,235"``.

    >>> format_money(1234.56), format_money(1234.56, "USD"), format_money(-80, "CHF", 2)
    ('1,235', '$1,235', '-80.00 CHF')
    >>> format_money(float("nan"))
    '–'
    """
    if value is None or not np.isfinite(value):
        return "–"
    code = (currency or "").strip()
    symbol = CURRENCY_SYMBOLS.get(code.upper(), code if len(code) == 1 else "")
    number = f"{abs(value):,.{decimals}f}"
    sign = "-" if value < 0 else ""
    if symbol:
        return f"{sign}{symbol}{number}"
    return f"{sign}{number} {code.upper()}" if code else f"{sign}{number}"


def get_display_name(name: object, currency: str | None = None) -> object:
    """A list column's header for people: ``churn_probability`` -> ``Churn probability``;
    money columns name the currency when one is set (``Customer value (EUR)``)."""
    if not isinstance(name, str) or name not in DISPLAY_NAMES:
        return name
    shown = DISPLAY_NAMES[name]
    code = (currency or "").strip()
    return f"{shown} ({code.upper()})" if code and name in MONEY_COLUMNS else shown


def to_handover_xlsx(
    frame: pd.DataFrame,
    about: Sequence[tuple[str, str]],
    *,
    currency: str | None = None,
    sheet_name: str = "At-risk customers",
) -> bytes:
    """The list as a workbook to hand to a retention team: friendly headers, formats, and an
    "About this list" sheet.

    The list's own columns get headers people read (``Churn probability``, ``Risk band``,
    ``Expected value at risk (EUR)``...), probabilities show as percents and money with the
    currency when one is set; other columns (the id, carried columns) keep their names. The
    second sheet holds ``about``: one ``(what, value)`` row per fact. Cells are made safe as in
    :func:`to_xlsx_bytes`.

    Examples
    --------
    >>> data = to_handover_xlsx(pd.DataFrame({"rank": [1]}), [("Made", "2026-01-05")])
    >>> data[:2]
    b'PK'
    """
    _check_rows(frame)
    formats: dict[object, str] = {}
    for name in frame.columns:
        if name == CHURN_PROBABILITY:
            formats[get_display_name(name, currency)] = PERCENT_FORMAT
        elif name in MONEY_COLUMNS:
            formats[get_display_name(name, currency)] = get_money_format(currency)
    shown = frame.rename(columns=lambda n: get_display_name(n, currency))
    about_frame = pd.DataFrame(list(about), columns=["About this list", "Details"], dtype=object)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _write_sheet(writer, shown, sheet_name, formats)
        _write_sheet(writer, about_frame, ABOUT_SHEET, {})
        writer.sheets[ABOUT_SHEET].column_dimensions["B"].width = 100
    return buffer.getvalue()


def at_risk_filename(dataset_name: str, extension: str, when: datetime | None = None) -> str:
    """A download name like ``at_risk_customers_<dataset>_<YYYY-MM-DD>.<extension>``.

    The dataset name is reduced to safe ASCII (see :func:`file_slug`); the date is taken when
    called unless ``when`` is given.

    Parameters
    ----------
    dataset_name : str
        The dataset's name or uploaded file name, e.g. ``"Sample customers.csv"``.
    extension : str
        ``"csv"`` or ``"xlsx"`` (a leading dot is allowed).
    when : datetime, optional
        The date to stamp; today by default.

    Returns
    -------
    str

    Examples
    --------
    >>> at_risk_filename("sample_customers", "csv", datetime(2026, 11, 22))
    'at_risk_customers_sample_customers_2026-11-22.csv'
    >>> at_risk_filename("Télécom Q3.xlsx", ".xlsx", datetime(2026, 1, 5))
    'at_risk_customers_telecom_q3_2026-01-05.xlsx'
    """
    stamp = (when if when is not None else datetime.now()).strftime("%Y-%m-%d")
    return download_filename("at_risk_customers", dataset_name, extension, stamp)


def download_filename(kind: str, dataset_name: str, extension: str, stamp: str = "") -> str:
    """``<kind>_<dataset slug>[_<stamp>].<extension>``, safe on every system.

    >>> download_filename("segments", "Bank churn.csv", "csv")
    'segments_bank_churn.csv'
    >>> download_filename("segments", "../../", "csv")
    'segments.csv'
    """
    suffix = extension.lstrip(".").lower()
    if not suffix.isalnum() or not suffix.isascii():
        raise ValueError(f'extension must be letters and digits such as "csv". Got "{extension}".')
    parts = [kind, file_slug(dataset_name), stamp]
    return "_".join(part for part in parts if part) + "." + suffix


def file_slug(name: str, limit: int = 60) -> str:
    """A file or dataset name as lower-case ASCII words joined by ``_`` (a table file's own
    suffix dropped), for download names; ``""`` when nothing safe is left.

    >>> file_slug("Télécom churn (Q3).XLSX")
    'telecom_churn_q3'
    """
    name = name.strip()
    if PurePath(name).suffix.lower() in _TABLE_SUFFIXES:
        name = name[: -len(PurePath(name).suffix)]
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:limit].rstrip("_")
