"""Read a user's customer file (CSV, TSV, semicolon or pipe text, XLSX, Parquet) into a DataFrame.

Everything a spreadsheet export can throw at us is handled here, once: the file type is told
from its bytes (not its name), the encoding and the separator are sniffed (columns lined up
with spaces too), a first row that holds data rather than names is noticed, header problems are
repaired or reported, and rows with too many values are all listed at once. Numbers written as
text (currency, percent, thousands separators) and dates are converted afterwards by
:mod:`churn_core.io.cleaning`.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from churn_core.errors import (
    ROW_NUMBERS,
    ChurnDataError,
    DataWarning,
    Problem,
    format_rows,
    plural,
    verb,
)
from churn_core.io.cleaning import clean_frame

#: The app's upload limit in MB; the command line has none. On a 512 MB Heroku Basic dyno a
#: 10 MB CSV (60k rows x 30 columns) peaks the server at ~450 MB and a 20 MB one at ~620 MB
#: (python -m benchmarks --upload-memory). A larger dyno sets the MAX_UPLOAD_MB config var.
MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "10"))
#: File types the app offers to upload (the reader itself goes by content, not name).
UPLOAD_TYPES = ("csv", "tsv", "txt", "xlsx")
DELIMITERS = (",", ";", "\t", "|")
#: Columns separated by runs of spaces (or tabs), as old exports and fixed-width text have.
WHITESPACE = " "
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", WHITESPACE: "space"}
#: A first-row cell that is a number or a date, not a column name.
_DATA_CELL = re.compile(r"^[-+$€£]?\d[\d.,:/ -]*$")
_SNIFF_LINES = 200
_WHITESPACE_LINE = re.compile(r"^[ \t]+$", re.MULTILINE)
_FIX_SAVE_AS_CSV = (
    "Open it in Excel or Google Sheets and save it as CSV or XLSX, then upload again."
)

# Leading bytes of file types people upload by mistake.
_FIX_UPLOAD_TABLE = "Upload the customer table itself, as a CSV or XLSX file."
_FIX_UNZIP = "Unzip it and upload the CSV or XLSX inside."
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image", _FIX_UPLOAD_TABLE),
    (b"\xff\xd8\xff", "a JPEG image", _FIX_UPLOAD_TABLE),
    (b"GIF8", "a GIF image", _FIX_UPLOAD_TABLE),
    (b"%PDF", "a PDF document", _FIX_UPLOAD_TABLE),
    (b"\x1f\x8b", "a gzip archive", _FIX_UNZIP),
    (
        b"\xd0\xcf\x11\xe0",
        "an old-style Excel (.xls) or Word file",
        "Open it in Excel, save it as .xlsx or CSV, then upload again.",
    ),
)


@dataclass
class Table:
    """A file read into a frame, with what was noticed on the way.

    Attributes
    ----------
    frame : pd.DataFrame
        One row per data row of the file, columns under the user's own names.
    name : str
        The file name as the user knows it.
    file_format : str
        ``"csv"`` (any delimited text), ``"xlsx"`` or ``"parquet"``.
    delimiter, encoding, sheet : str or None
        What was sniffed or chosen; None where it does not apply.
    sheets : list of str
        Every sheet of an Excel workbook, so the user can pick another.
    warnings : list of DataWarning
        Usable-but-odd things found while reading and cleaning.
    """

    frame: pd.DataFrame
    name: str
    file_format: str
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    warnings: list[DataWarning] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for a status bar, e.g. ``"customers.csv: 5,000 rows x 15 columns"``."""
        rows, cols = self.frame.shape
        return f"{self.name}: {rows:,} rows x {cols} columns"


def read_table(
    source: str | Path | bytes | BinaryIO,
    *,
    name: str | None = None,
    sheet: str | int | None = None,
    max_mb: float | None = MAX_UPLOAD_MB,
) -> Table:
    """Read a customer file, sniffing its type, encoding and separator.

    Parameters
    ----------
    source : path, bytes or binary file object
        The file. Uploads arrive as bytes or a file object; the CLI passes a path.
    name : str, optional
        The file name to use in messages (defaults to the path's name).
    sheet : str or int, optional
        Sheet to read from an Excel workbook; the first sheet by default.
    max_mb : float or None
        Largest accepted file in megabytes; None for no limit (the command line).

    Raises
    ------
    ChurnDataError
        With every problem found: empty file, not a table, ragged rows, no data rows, ...

    Examples
    --------
    >>> table = read_table(b"id,churn\\n1,Yes\\n2,No\\n", name="tiny.csv")
    >>> table.frame.shape
    (2, 2)
    """
    raw, name = _read_bytes(source, name, max_mb)
    kind = "parquet" if raw.startswith(PARQUET_MAGIC) else _sniff_kind(raw, name)
    if kind == "parquet":
        table = Table(_read_parquet(raw, name), name, "parquet")
    elif kind == "xlsx":
        table = _read_xlsx(raw, name, sheet)
    else:
        text, encoding, warnings = _decode(raw, name)
        table = _read_delimited(text, name, encoding, warnings)
    frame, clean_warnings = clean_frame(table.frame)
    table.frame = frame
    table.warnings.extend(clean_warnings)
    return table


def iter_table_chunks(
    path: str | Path, rows: int, *, columns: Sequence[str] | None = None
) -> Iterator[pd.DataFrame]:
    """Read a large file a chunk of rows at a time, cleaned like :func:`read_table`.

    Text and Parquet files are streamed, so memory stays flat however long the file; an Excel
    workbook is read whole (its format does not stream). Each chunk keeps its file row numbers
    (as its index). ``columns``: read only these (those the file lacks are left out).
    """
    path = Path(path)
    with path.open("rb") as file:
        head = file.read(1 << 20)
    if head.startswith(PARQUET_MAGIC):
        yield from _iter_parquet_chunks(path, rows, columns)
        return
    if _sniff_kind(head, path.name) == "xlsx":
        frame = read_table(path, max_mb=None).frame
        yield frame if columns is None else frame[[c for c in frame.columns if c in columns]]
        return
    layout = sniff_text_layout(head, path.name)
    names = layout.names
    wanted = names if columns is None else [n for n in names if n in set(columns)]
    reader = _parse(
        path,
        layout.delimiter,
        names,
        layout.has_header,
        encoding=layout.encoding,
        encoding_errors="replace",
        chunksize=rows,
        dtype=dict.fromkeys([c for c in layout.zero_padded if c in wanted], str),
        usecols=[names.index(c) for c in wanted],
    )
    yield from _cleaned(reader)


@dataclass(frozen=True)
class TextLayout:
    """How a delimited text file is written, sniffed from its first megabyte."""

    delimiter: str
    encoding: str
    names: list[str]  # the header, repaired (blank and repeated names)
    zero_padded: list[str]  # columns read as text to keep their leading zeros (ids, postcodes)
    has_header: bool = True  # False: the first row holds data; names are letters A, B, C, ...

    @property
    def lined_up(self) -> bool:
        """Columns lined up with runs of spaces rather than one separator."""
        return self.delimiter == WHITESPACE


def sniff_text_layout(head: bytes, name: str) -> TextLayout:
    """The separator, encoding, column names and zero-padded columns of a text file's head.

    >>> sniff_text_layout(b"id;zip\\n1;0123\\n", "f.csv")
    TextLayout(delimiter=';', encoding='utf-8', names=['id', 'zip'], zero_padded=['zip'], \
has_header=True)
    """
    text, encoding, _ = _decode(head, name)
    complete_lines = text.replace("\r\n", "\n").split("\n")[:-1] or [text]
    lines = [line for line in complete_lines[:_SNIFF_LINES] if line.strip()]
    delimiter = sniff_delimiter(lines)
    first, *rest = list(_records(lines[:3], delimiter))
    has_header = _is_header(first, rest)
    names = _repair_header(first)[0] if has_header else _letter_names(len(first))
    padded = _zero_padded(text[: text.rfind("\n") + 1] or text, delimiter, names, has_header)
    return TextLayout(delimiter, encoding, names, padded, has_header)


def parse_text_cells(cells: pd.DataFrame, layout: TextLayout) -> pd.DataFrame:
    """A chunk of a text file handed over as raw text cells (None where empty), e.g. by Spark's
    CSV reader, typed by pandas' parser and cleaned exactly as :func:`iter_table_chunks`
    reads the same rows (the index is kept)."""
    text = cells.to_csv(index=False, lineterminator="\n")
    names = [str(c) for c in cells.columns]
    padded = [c for c in layout.zero_padded if c in names]
    parsed = _parse(text, ",", names, dtype=dict.fromkeys(padded, str))
    parsed.index = cells.index
    cleaned, _ = clean_frame(parsed)
    cleaned.index = cells.index
    return cleaned


def _cleaned(chunks: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Chunks cleaned one by one, indexed by their rows' positions in the file."""
    start = 0
    for chunk in chunks:
        chunk.index = pd.RangeIndex(start, start + len(chunk))
        start += len(chunk)
        cleaned, _ = clean_frame(chunk)
        cleaned.index = chunk.index
        yield cleaned


#: The first (and last) bytes of a Parquet file.
PARQUET_MAGIC = b"PAR1"


def _read_parquet(raw: bytes, name: str) -> pd.DataFrame:
    """A whole Parquet file (pyarrow); its typed columns are cleaned like a text file's."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_table(pa.BufferReader(raw)).to_pandas()
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise _bad_parquet(name) from exc


def _bad_parquet(name: str) -> ChurnDataError:
    return _problem(
        f"{name} looks like a Parquet file but could not be read: it may be damaged or only "
        "partly written.",
        "Write the file again, or export the customers as CSV.",
        "bad_parquet",
    )


def _iter_parquet_chunks(
    path: Path, rows: int, columns: Sequence[str] | None
) -> Iterator[pd.DataFrame]:
    """A Parquet file's row groups a batch at a time (pyarrow), cleaned like a text file."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise _bad_parquet(path.name) from exc
    names = parquet.schema_arrow.names
    wanted = names if columns is None else [n for n in names if n in set(columns)]
    batches = parquet.iter_batches(batch_size=rows, columns=wanted)
    yield from _cleaned(batch.to_pandas() for batch in batches)


def _read_bytes(
    source: str | Path | bytes | BinaryIO, name: str | None, max_mb: float | None
) -> tuple[bytes, str]:
    limit = None if max_mb is None else int(max_mb * 1024 * 1024)
    if isinstance(source, str | Path):
        path = Path(source)
        name = name or path.name
        if not path.is_file():
            raise _problem(
                f'No file found at "{path}".', "Check the path and try again.", "no_file"
            )
        size = path.stat().st_size
        if limit is not None and size > limit:
            raise _too_big(name, size, max_mb)
        return path.read_bytes(), name
    if isinstance(source, bytes | bytearray):
        raw = bytes(source)
    else:
        raw = source.read(limit + 1) if limit is not None else source.read()
    name = name or getattr(source, "name", None) or "the file"
    if limit is not None and len(raw) > limit:
        size = len(raw)
        if not isinstance(source, bytes | bytearray) and source.seekable():
            size = source.seek(0, io.SEEK_END)  # the real size, not what we read of it
        raise _too_big(name, size, max_mb)
    return raw, name


def check_upload_size(name: str, size: int, max_mb: float = MAX_UPLOAD_MB) -> None:
    """Refuse a file over the limit from its size alone, before it is copied or read.

    >>> check_upload_size("big.csv", 60 * 1024 * 1024, max_mb=50)
    Traceback (most recent call last):
    churn_core.errors.ChurnDataError: big.csv is 60.0 MB; the app accepts files up to 50 MB. ...
    """
    if size > max_mb * 1024 * 1024:
        raise _too_big(name, size, max_mb)


def _too_big(name: str, size: int, max_mb: float | None) -> ChurnDataError:
    return _problem(
        f"{name} is {size / 1024 / 1024:,.1f} MB; the app accepts files up to {max_mb:g} MB.",
        "Upload a smaller extract (fewer rows or columns), or use the command line for large "
        "files: python -m churn_core profile FILE.",
        "file_too_large",
    )


def _sniff_kind(raw: bytes, name: str) -> str:
    if not raw.strip():
        raise _problem(
            f"{name} is empty.",
            "Export the customer table again and check it has rows.",
            "empty_file",
        )
    for signature, what, fix in _SIGNATURES:
        if raw.startswith(signature):
            raise _problem(f"{name} is {what}, not a table of customers.", fix, "not_a_table")
    if raw.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
        except zipfile.BadZipFile:
            names = None
        workbookish = name.lower().endswith((".xlsx", ".xlsm")) or b"[Content_Types].xml" in raw
        if (names is None and workbookish) or (names and any(n.startswith("xl/") for n in names)):
            return "xlsx"
        raise _problem(
            f"{name} is a compressed (zip) file, not a table of customers.",
            _FIX_UNZIP,
            "not_a_table",
        )
    head = raw[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _problem(
            f"{name} is not a text table: it contains binary data.",
            f"Upload a CSV or XLSX file. {_FIX_SAVE_AS_CSV}",
            "not_a_table",
        )
    return "text"


def _decode(raw: bytes, name: str) -> tuple[str, str, list[DataWarning]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig", []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16", []
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        text, encoding = raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    warning = DataWarning(
        f"{name} is not saved as UTF-8; it was read as Windows-1252 (Western European) text.",
        fix='If accented letters look wrong, save the file as "CSV UTF-8" and upload it again.',
        code="not_utf8",
    )
    return text, encoding, [warning]


def sniff_delimiter(lines: Sequence[str]) -> str:
    """Pick the separator that splits the first lines into the most, most regular fields.

    >>> sniff_delimiter(["a;b;c", "1;2,5;3"])
    ';'
    """
    best, best_score = ",", 0.0
    for delim in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        if not counts:
            continue
        width, hits = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = width * hits / len(counts)
        if score > best_score:
            best, best_score = delim, score
    if best_score == 0.0 and _lined_up_by_spaces(lines):
        return WHITESPACE
    return best


def _lined_up_by_spaces(lines: Sequence[str]) -> bool:
    """True when runs of spaces split nearly every line into the same two or more fields.

    >>> _lined_up_by_spaces([" 00004 0001 19970101  2   29.33", " 00021 0002 19970101  3   63.34"])
    True
    """
    counts = [len(line.split()) for line in lines if line.strip()]
    if not counts:
        return False
    width, hits = Counter(counts).most_common(1)[0]
    return width >= 2 and hits >= 0.9 * len(counts)


def _records(lines: Iterable[str], delimiter: str) -> Iterator[list[str]]:
    """Each line's fields: split by the csv module, or on runs of spaces."""
    if delimiter == WHITESPACE:
        return (line.split() for line in lines)
    return csv.reader(lines, delimiter=delimiter)


def _is_header(first: list[str], rest: list[list[str]]) -> bool:
    """False when the first row holds data, not column names: a file exported without its
    header row. Names sit over values of another kind (a name over a number); a first row with
    numbers or dates where the row below has them too, and no name over a number, is data.

    >>> _is_header(["CustomerID", "Tenure"], [["C1", "12"]])
    True
    >>> _is_header(["C1", "2024-01-05", "10.5"], [["C2", "2024-02-01", "3"]])
    False
    """
    if not rest or len(rest[0]) != len(first):
        return True
    data_like = False
    for top, below in zip(first, rest[0], strict=True):
        top_is_data = bool(_DATA_CELL.match(top.strip()))
        below_is_data = bool(_DATA_CELL.match(below.strip()))
        if below_is_data and not top_is_data and top.strip():
            return True  # a name over a number
        data_like = data_like or (top_is_data and below_is_data)
    return not data_like


def _letter_names(width: int) -> list[str]:
    """Names for a file without a header row: ``Column A``, ``Column B``, ..."""
    return [f"Column {column_letter(i)}" for i in range(width)]


def _read_delimited(text: str, name: str, encoding: str, warnings: list[DataWarning]) -> Table:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _WHITESPACE_LINE.sub("", text)  # a line of spaces is a blank line
    lines = [line for line in text.split("\n", _SNIFF_LINES + 1)[:_SNIFF_LINES] if line.strip()]
    delimiter = sniff_delimiter(lines)
    records = _records(io.StringIO(text), delimiter)
    header = next(records, [])
    has_header = _is_header(header, list(_records(lines[1:2], delimiter)))
    if has_header:
        names, header_warnings = _repair_header(header)
        warnings.extend(header_warnings)
    else:
        names = _letter_names(len(header))
        warnings.append(_no_header_warning(name, header, names))
        records = itertools.chain([header], records)
    if len(names) < 2:
        raise _problem(
            f'{name} has only one column ("{_shorten(names[0] if names else "")}"), so it cannot '
            "hold both customer details and whether they left.",
            "Separate columns with commas, semicolons, tabs or | and make sure the first row "
            "holds the column names, then upload again.",
            "single_column",
        )
    long_rows, short_rows, row_numbers = _scan_rows(records, len(names), 1 if has_header else 0)
    if not row_numbers:
        raise _problem(
            f"{name} has column names but no rows of customers.",
            "Export the table again with its data rows.",
            "no_rows",
        )
    if long_rows:
        shown = ", ".join(f"row {row} has {count}" for row, count in long_rows[:5])
        more = f" and {len(long_rows) - 5:,} more" if len(long_rows) > 5 else ""
        raise ChurnDataError(
            [
                Problem(
                    f"{plural(len(long_rows), 'row')} of {name} "
                    f"{verb(len(long_rows), 'has', 'have')} more values than the "
                    f"{len(names)} column names: {shown}{more}.",
                    rows=tuple(r for r, _ in long_rows[:5]),
                    fix=f'A value probably contains the {DELIMITER_NAMES[delimiter]} "{delimiter}" '
                    "without quotes around it: put quotes around such values or remove the "
                    "extra values, then upload again.",
                    code="ragged_rows",
                )
            ],
            warnings,
        )
    if short_rows:
        warnings.append(
            DataWarning(
                f"{plural(len(short_rows), 'row')} {verb(len(short_rows), 'has', 'have')} "
                f"fewer values than the {len(names)} "
                f"column names ({format_rows(short_rows[:5])}); the missing cells were left empty.",
                rows=tuple(short_rows[:5]),
                fix="Check those rows were exported completely.",
                code="short_rows",
            )
        )
    padded = _zero_padded(text, delimiter, names, has_header)
    frame = _parse(
        text, delimiter, names, has_header, dtype=dict.fromkeys(padded, str), low_memory=False
    )
    first_row = 2 if has_header else 1
    if len(frame) == len(row_numbers) and row_numbers[-1] != len(row_numbers) + first_row - 1:
        frame.attrs[ROW_NUMBERS] = row_numbers  # blank lines inside the data were skipped
    elif not has_header and len(frame) == len(row_numbers):
        frame.attrs[ROW_NUMBERS] = range(1, len(frame) + 1)  # no header: data starts on row 1
    return Table(frame, name, "csv", delimiter=delimiter, encoding=encoding, warnings=warnings)


def _no_header_warning(name: str, first: list[str], names: list[str]) -> DataWarning:
    return DataWarning(
        f'{name} has no row of column names: its first row holds data (such as "{first[0]}"), '
        f"so its {len(names)} columns are called {names[0]} to {names[-1]}.",
        fix="Put the column names in the first row of the file to see your own names.",
        code="no_header",
    )


def _parse(
    source: str | Path, delimiter: str, names: list[str], has_header: bool = True, **options: Any
) -> Any:
    """pandas' fast parser with our header, and only truly empty cells read as missing.

    ``source`` is decoded text, or a path to stream (with ``chunksize``: a chunk reader).
    Columns lined up with spaces are split on any run of spaces or tabs.

    "NA" may be a region code and "None" a plan, so pandas' list of missing-value words is off;
    :mod:`churn_core.io.cleaning` reports words such as "n/a" and "NULL" instead.
    """
    return pd.read_csv(
        io.StringIO(source) if isinstance(source, str) else source,
        sep=r"\s+" if delimiter == WHITESPACE else delimiter,
        header=0 if has_header else None,
        names=names,
        index_col=False,
        skip_blank_lines=True,
        keep_default_na=False,
        na_values=[""],
        **{"usecols": range(len(names)), **options},
    )


def _zero_padded(text: str, delimiter: str, names: list[str], has_header: bool = True) -> list[str]:
    """Columns whose first rows hold digits with leading zeros (ids, postcodes): keep as text."""
    head = _parse(text, delimiter, names, has_header, dtype=str, nrows=1000)
    return [c for c in names if head[c].str.match(r"^0\d+$").any()]


def _scan_rows(
    records: Iterator[list[str]], width: int, header_rows: int = 1
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Rows with extra non-empty values, rows with too few, and every data row's number.

    Rows are numbered as a spreadsheet shows the file: the header (if any) is row 1, every
    record (blank ones too) is one row, and a quoted value spanning lines stays one row.
    """
    long_rows: list[tuple[int, int]] = []
    short_rows: list[int] = []
    row_numbers: list[int] = []
    row = header_rows
    for record in records:
        row += 1
        if not record or (len(record) == 1 and not record[0].strip()):
            continue  # blank line: skipped, as pandas does
        row_numbers.append(row)
        n = len(record)
        if n > width and any(v.strip() for v in record[width:]):
            long_rows.append((row, n))
        elif n < width:
            short_rows.append(row)
    return long_rows, short_rows, row_numbers


def _repair_header(header: list[str]) -> tuple[list[str], list[DataWarning]]:
    """Name blank columns after their spreadsheet letter and number repeated names."""
    warnings: list[DataWarning] = []
    names = [h.strip() for h in header]
    while names and not names[-1] and len(names) > 1:
        names.pop()  # a trailing delimiter on the header line
    blank = [i for i, n in enumerate(names) if not n]
    for i in blank:
        names[i] = f"Column {column_letter(i)}"
    if blank:
        letters = ", ".join(column_letter(i) for i in blank)
        shown = " and ".join(f'"{names[i]}"' for i in blank)
        warnings.append(
            DataWarning(
                f"{plural(len(blank), 'column')} had no name ({letters}) and "
                f"{verb(len(blank), 'is', 'are')} shown as {shown}.",
                fix="Give every column a name in the first row of the file.",
                code="blank_column_name",
            )
        )
    seen: Counter[str] = Counter()
    for i, n in enumerate(names):
        seen[n] += 1
        if seen[n] > 1:
            renamed = f"{n} ({seen[n]})"
            positions = [column_letter(j) for j, m in enumerate(header) if m.strip() == n]
            warnings.append(
                DataWarning(
                    f'Column name "{n}" appears {len(positions)} times (columns '
                    f"{', '.join(positions)}); the copy in column {column_letter(i)} is shown as "
                    f'"{renamed}".',
                    column=n,
                    fix="Give each column its own name in the file to keep your own names.",
                    code="duplicate_column_name",
                )
            )
            names[i] = renamed
    return names, warnings


def _read_xlsx(raw: bytes, name: str, sheet: str | int | None) -> Table:
    warnings: list[DataWarning] = []
    if name.lower().endswith((".csv", ".txt", ".tsv")):
        warnings.append(
            DataWarning(
                f"{name} is named like a text file but is an Excel workbook; it was read as one.",
                fix="Renaming it to .xlsx avoids confusion next time.",
                code="xlsx_renamed",
            )
        )
    try:
        book = pd.ExcelFile(io.BytesIO(raw), engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise _problem(
            f"{name} looks like an Excel workbook but could not be opened: it may be damaged "
            "or only partly downloaded.",
            _FIX_SAVE_AS_CSV,
            "bad_xlsx",
        ) from exc
    sheets = [str(s) for s in book.sheet_names]
    if sheet is None:
        chosen = sheets[0]
    elif isinstance(sheet, int) and 0 <= sheet < len(sheets):
        chosen = sheets[sheet]
    elif isinstance(sheet, str) and sheet in sheets:
        chosen = sheet
    else:
        raise _problem(
            f'{name} has no sheet "{sheet}"; its sheets are: {", ".join(sheets)}.',
            "Pick one of those sheets.",
            "no_such_sheet",
        )
    frame = book.parse(chosen, header=0, keep_default_na=False, na_values=[""])
    frame = frame.dropna(how="all").dropna(axis=1, how="all")
    row_numbers = [int(i) + 2 for i in frame.index]  # header is row 1
    if frame.shape[1] == 0:
        raise _problem(
            f'Sheet "{chosen}" of {name} is empty.',
            "Pick the sheet with the customer table, or move the table to the first sheet.",
            "empty_file",
        )
    header = [("" if str(c).startswith("Unnamed:") else str(c)) for c in frame.columns]
    header = [h.rsplit(".", 1)[0] if _is_mangled(h, header) else h for h in header]
    names, header_warnings = _repair_header(header)
    warnings.extend(header_warnings)
    frame.columns = names
    if len(names) < 2:
        raise _problem(
            f'Sheet "{chosen}" of {name} has only one column ("{_shorten(names[0])}").',
            "Put one field per column, with the column names in the first row.",
            "single_column",
        )
    if frame.empty:
        raise _problem(
            f'Sheet "{chosen}" of {name} has column names but no rows of customers.',
            "Pick the sheet with the customer rows.",
            "no_rows",
        )
    if len(sheets) > 1 and sheet is None:
        warnings.append(
            DataWarning(
                f'{name} has {len(sheets)} sheets; the first, "{chosen}", was read.',
                fix="Choose another sheet if the customers are elsewhere.",
                code="first_sheet",
            )
        )
    frame = frame.reset_index(drop=True)
    if row_numbers and row_numbers[-1] != len(row_numbers) + 1:
        frame.attrs[ROW_NUMBERS] = row_numbers  # blank rows inside the sheet were dropped
    return Table(frame, name, "xlsx", sheet=chosen, warnings=warnings, sheets=sheets)


def _is_mangled(name: str, header: list[str]) -> bool:
    """pandas renames a repeated Excel header "Age" to "Age.1"; undo it so we report it."""
    base, _, suffix = name.rpartition(".")
    return bool(base) and suffix.isdigit() and base in header


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA", as a spreadsheet names columns."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _problem(message: str, fix: str, code: str) -> ChurnDataError:
    return ChurnDataError([Problem(message, fix=fix, code=code)])
