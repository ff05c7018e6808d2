"""Commands that train and read models: train, explain, workspace."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from churn_core.cli.options import (
    add_db_option,
    add_log_options,
    add_table_options,
    for_command_line,
    open_db,
    print_json,
    read_profiled,
)
from churn_core.cli.scoring import REASON_ROWS, write_list
from churn_core.errors import ChurnDataError, Problem
from churn_core.explain import ChurnExplainer
from churn_core.io import read_table
from churn_core.logs import define_churn, fit_log_model, prepare_activity
from churn_core.model import ChurnModel, fit_churn_model, load_model, save_model

if TYPE_CHECKING:  # the workspace is imported only with --db (see cli/options.py)
    from churn_core.workspace import Workspace


def add_commands(commands: Any) -> None:
    """Add train, explain, workspace to the command line."""
    train = commands.add_parser(
        "train", help="train and evaluate a churn model; writes a bundle, prints its card (JSON)"
    )
    train.add_argument("file", help="customer file with a churn label")
    add_table_options(train)
    train.add_argument(
        "--out", help="bundle folder (default: models/<file name>, unless kept in a workspace)"
    )
    train.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    train.add_argument(
        "--list",
        metavar="OUT",
        help="also write the file's at-risk list (CSV, or .parquet), as score --out would: one "
        f"command from a file to an explained list (reasons for the first {REASON_ROWS:,})",
    )
    add_db_option(train, "keep the file and the model in the workspace database")
    add_log_options(train, triggers=True)
    train.set_defaults(run=_run_train)

    explain = commands.add_parser(
        "explain", help="probability, reasons and the smallest allowed lever move (JSON)"
    )
    explain.add_argument("file", help="customers to explain")
    explain.add_argument("--model", required=True, help="bundle folder written by train")
    explain.add_argument("--id", dest="ids", nargs="+", metavar="ID", help="customers to explain")
    explain.add_argument(
        "--top", type=int, help="the N riskiest customers still with you (default 10)"
    )
    explain.set_defaults(run=_run_explain)

    workspace = commands.add_parser("workspace", help="what the workspace database keeps")
    workspace.add_argument(
        "action",
        choices=["list", "use"],
        help="list: JSON of what is kept; use: put model MODEL_ID in use for its kind of data",
    )
    workspace.add_argument("model_id", nargs="?", type=int, metavar="MODEL_ID")
    add_db_option(workspace, "the workspace database")
    workspace.set_defaults(run=_run_workspace)


def _run_train(args: argparse.Namespace) -> int:
    table, profile = read_profiled(args)
    if profile.problems:
        raise ChurnDataError([for_command_line(p) for p in profile.problems])
    if profile.is_log and args.list:
        fix = f"Train first, then: python -m churn_core score {args.file} --model DIR"
        message = "--list writes a customer table's list; a log's is written by score."
        raise ChurnDataError([Problem(message, fix=fix, code="list_of_a_log")])
    workspace = open_db(args)
    dataset = None
    if workspace is not None:
        from churn_core.workspace import keep_read_table

        dataset = keep_read_table(workspace, Path(args.file).read_bytes(), table, profile)
    if profile.is_log:
        activity = prepare_activity(table.frame, profile)
        definition = define_churn(activity, args.window, args.trigger)
        print(
            f"{definition.describe()} Why {definition.window_days} days: {definition.reason}",
            file=sys.stderr,
        )
        model = fit_log_model(activity, definition, seed=args.seed)
    else:
        model = fit_churn_model(table.frame, profile, seed=args.seed)
    model.card["data"]["name"] = table.name
    out = Path(args.out) if args.out else None
    if out is None and workspace is None:
        out = Path("models") / Path(args.file).stem
    if out is not None:
        save_model(model, out)
    kept, said = _keep_model(workspace, dataset.id, model) if workspace and dataset else ({}, "")
    print_json({"bundle": str(out) if out else None, **kept, **model.card})
    if args.list:
        ranked = write_list(args.file, model, args.list, id_column=args.id_column)
        said += f"; listed {ranked.listed:,} customers still with you in {args.list}"
    metrics = model.card["metrics"]
    print(
        f"trained {model.name}: held-out ROC-AUC {metrics['roc_auc']:.3f}"
        + (f"; wrote {out}" if out else "")
        + said,
        file=sys.stderr,
    )
    return 0


def _keep_model(
    workspace: Workspace, dataset_id: int, model: ChurnModel
) -> tuple[dict[str, Any], str]:
    """Keep the model in the workspace: what to print (JSON) and to say about it."""
    from churn_core.workspace import get_model_in_use, register_model, remember_in_use

    kept = register_model(workspace, model, dataset_id)
    if kept.in_use:
        remember_in_use(workspace, dataset_id=dataset_id, model_id=kept.id)
        said = f"; kept as model {kept.id}, in use"
    else:
        in_use = get_model_in_use(workspace, kept.kind)
        said = (
            f"; kept as model {kept.id}; model {in_use.id if in_use else '?'} stays in use "
            f"(compare them on the Workspace page; switch with: python -m churn_core workspace "
            f"use {kept.id})"
        )
    ids = {"dataset_id": dataset_id, "model_id": kept.id, "in_use": kept.in_use}
    return {"workspace": {"database": workspace.database, **ids}}, said


def _run_explain(args: argparse.Namespace) -> int:
    from churn_core.explain.advice import advise_customers
    from churn_core.model import check_columns
    from churn_core.risk import score_customers

    model = load_model(args.model)
    frame = read_table(args.file, max_mb=None).frame
    check_columns(model, frame)
    scores = score_customers(model, frame)
    ids = np.array([str(i) for i in scores.ids], dtype=object)
    if args.ids:
        missing = [i for i in args.ids if i not in set(ids)]
        if missing:
            raise ChurnDataError([_no_such_customer(missing, scores.id_name)])
        rows = np.concatenate([np.flatnonzero(ids == i)[:1] for i in args.ids])
    else:
        order = np.argsort(-scores.p, kind="stable")
        rows = order[~scores.left[order]][: args.top if args.top is not None else 10]
    advice = advise_customers(
        ChurnExplainer(model), frame.iloc[rows], scores.ids[rows].tolist(), cutoff=model.threshold
    )
    json.dump([a.to_dict() for a in advice], sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0


def _no_such_customer(missing: list[str], id_name: str) -> Problem:
    return Problem(
        f"No customer with {id_name} {', '.join(missing[:5])} in this file.",
        fix=f"Check the ids against the file's {id_name} column.",
        code="no_such_customer",
    )


def _run_workspace(args: argparse.Namespace) -> int:
    from churn_core.workspace import describe_workspace, open_workspace, use_model

    workspace = open_workspace(args.db or None)
    if args.action == "use":
        if args.model_id is None:
            raise ValueError("workspace use needs the MODEL_ID to put in use.")
        print_json(asdict(use_model(workspace, args.model_id)))
    else:
        print_json(describe_workspace(workspace))
    return 0
