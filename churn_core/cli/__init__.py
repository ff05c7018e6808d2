"""The engine's command line: ``python -m churn_core COMMAND ...`` (docs/architecture.md; the
commands are listed in README.md). One module per group of commands, each adding its own
subcommands (``add_commands``); shared options and writers are in ``options``.

Bad input exits with status 2 and a readable message on stderr, never a traceback; set
``CHURN_DEBUG=1`` to see the traceback of an unexpected failure.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from churn_core.cli import clv, logs, models, monitoring, scoring, tables
from churn_core.cli.options import EXIT_BAD_INPUT, EXIT_FAILURE
from churn_core.errors import ChurnDataError

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILURE", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m churn_core",
        description="Churn Workbench engine: profile, train, score, segments, KPIs, sample data.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (tables, models, scoring, logs, clv, monitoring):
        group.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except BrokenPipeError:  # e.g. piped into `head`: the reader has what it wanted
        sys.stderr.close()
        return 0
    except ChurnDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as error:  # argument checks in the engine, e.g. sample --rows 3
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # last resort: a readable line, never a traceback
        if os.environ.get("CHURN_DEBUG"):
            raise
        print(
            f"error: unexpected {type(error).__name__}: {error}. Set CHURN_DEBUG=1 to see "
            "details, and please report it.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
