"""Problems and warnings about a user's file, in words the user can act on.

A *problem* stops the work (the file cannot be read, or has no usable churn label); a
*warning* says the data was usable but odd, and what was done about it. Every check collects
all it finds in one pass, so the user fixes everything at once instead of one error per upload.

Row numbers are spreadsheet row numbers: the header is row 1, the first customer row 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

MAX_EXAMPLE_ROWS = 5


@dataclass(frozen=True)
class Issue:
    """One thing wrong (or odd) with the data.

    Attributes
    ----------
    message : str
        A full sentence naming the column in the user's own words and what was found.
    column : str or None
        The column as the user named it; None for whole-file issues.
    rows : tuple of int
        Up to five example rows, numbered as a spreadsheet shows them.
    fix : str
        One concrete thing the user can do about it ("" when nothing needs doing).
    code : str
        A stable machine-readable kind, e.g. ``"empty_file"``; tests and the CLI use it.
    """

    message: str
    column: str | None = None
    rows: tuple[int, ...] = ()
    fix: str = ""
    code: str = ""

    def __str__(self) -> str:
        return f"{self.message} {self.fix}".strip()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["rows"] = list(self.rows)
        return out


@dataclass(frozen=True)
class Problem(Issue):
    """An issue that stops the work until it is fixed."""


@dataclass(frozen=True)
class DataWarning(Issue):
    """An issue worth knowing about; the data was still used."""


@dataclass
class ChurnDataError(Exception):
    """Every problem found in one pass over the user's data.

    Raised instead of the first exception a library throws, so that the app and the command
    line can show all problems at once and never a traceback.
    """

    problems: list[Problem] = field(default_factory=list)
    warnings: list[DataWarning] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.problems:
            raise ValueError("ChurnDataError needs at least one problem.")
        super().__init__(str(self))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems were found:"]
        lines += [f"{i}. {p}" for i, p in enumerate(self.problems, start=1)]
        return "\n".join(lines)


#: ``DataFrame.attrs`` key holding each row's number in the file, when it is not simply
#: position + 2 (blank lines inside the data were skipped).
ROW_NUMBERS = "row_numbers"


def file_row_numbers(frame: Any) -> Sequence[int] | None:
    """The file row number of each frame row, if reading recorded them (else None)."""
    numbers = getattr(frame, "attrs", {}).get(ROW_NUMBERS)
    return None if numbers is None or len(numbers) != len(frame) else numbers


def example_rows(
    positions: Iterable[int],
    limit: int = MAX_EXAMPLE_ROWS,
    numbers: Sequence[int] | None = None,
) -> tuple[int, ...]:
    """Spreadsheet row numbers for 0-based data positions (header is row 1).

    ``numbers`` maps positions to file rows when blank lines were skipped on reading.
    """
    out: list[int] = []
    for pos in positions:
        out.append(int(numbers[int(pos)]) if numbers is not None else int(pos) + 2)
        if len(out) >= limit:
            break
    return tuple(out)


def format_rows(rows: Sequence[int]) -> str:
    """``(3, 7, 9)`` -> ``"rows 3, 7 and 9"``; ``(3,)`` -> ``"row 3"``."""
    if not rows:
        return ""
    if len(rows) == 1:
        return f"row {rows[0]}"
    head = ", ".join(str(r) for r in rows[:-1])
    return f"rows {head} and {rows[-1]}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``plural(1, "row")`` -> ``"1 row"``; ``plural(1200, "row")`` -> ``"1,200 rows"``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def join_words(words: Sequence[str]) -> str:
    """``["A", "B", "C"]`` -> ``"A, B and C"``."""
    items = list(words)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def verb(count: int, singular: str, plural_form: str) -> str:
    """``verb(1, "has", "have")`` -> ``"has"``: agree a verb with a count."""
    return singular if count == 1 else plural_form
