"""The workspace database's failures, said plainly: never a traceback, and what was saved stays.

Every read and write runs inside :func:`translate_faults`, which turns SQLAlchemy's errors into
one :class:`~churn_core.errors.ChurnDataError` naming the database (never its password).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc

from churn_core.errors import ChurnDataError, Problem

UNREACHABLE = "database_unreachable"
CONFLICT = "database_conflict"
FAILED = "database_error"


def refuse(message: str, fix: str, code: str) -> ChurnDataError:
    """One problem as the error every workspace function raises."""
    return ChurnDataError([Problem(message, fix=fix, code=code)])


def first_line(error: BaseException) -> str:
    """The driver's own first line, e.g. ``Connection refused``, without SQL or parameters."""
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__


@contextmanager
def translate_faults(database: str) -> Iterator[None]:
    """Raise a plain ChurnDataError instead of any database error met inside the block.

    ``database`` names it in messages (``"PostgreSQL at db.example.com:5432/app"``).
    """
    try:
        yield
    except (exc.OperationalError, exc.InterfaceError, exc.TimeoutError) as error:
        raise refuse(
            f"The workspace database ({database}) cannot be reached or is busy: "
            f"{first_line(error)}. Nothing already saved is lost.",
            "Try again in a minute; if it lasts, check DATABASE_URL and that the database "
            "is running.",
            UNREACHABLE,
        ) from None
    except exc.IntegrityError as error:
        raise refuse(
            f"The workspace database ({database}) refused the change: {first_line(error)}. "
            "Someone may have changed or deleted the same thing at the same time.",
            "Reload the Workspace page and try again.",
            CONFLICT,
        ) from None
    except exc.SQLAlchemyError as error:
        raise refuse(
            f"The workspace database ({database}) failed: {first_line(error)}. Nothing already "
            "saved is lost.",
            "Try again; if it lasts, please report it.",
            FAILED,
        ) from None


def not_found(what: str, record_id: int) -> ChurnDataError:
    """``Dataset 7 is not in the workspace (it may have been deleted).``"""
    return refuse(
        f"{what} {record_id} is not in the workspace (someone may have deleted it).",
        "See what is kept on the Workspace page (or: python -m churn_core workspace list).",
        "not_in_workspace",
    )
