"""The lever editor's rewording: a lever whose kind or direction a person changes gets its
actions worded afresh for that kind; every other row, edited or not, stays as it was."""

from __future__ import annotations

from pathlib import Path

from churn_core.explain import get_action_plan
from churn_core.model import load_model
from ui.action_controls import reword_actions

ROOT = Path(__file__).resolve().parents[2]


def test_a_lever_given_a_kind_gets_actions_worded_for_it_and_other_rows_stay() -> None:
    model = load_model(ROOT / "models" / "default")
    levers, actions = get_action_plan(model)
    assert set(actions.loc[actions["column"] == "Region", "action"]) == {""}  # no lever yet
    actions.loc[actions["column"] == "Contract", "action"] = "Call them about their contract"
    levers = levers.copy()
    region = levers["column"] == "Region"
    levers.loc[region, ["actionable", "kind", "direction"]] = [True, "plan or contract", "switch"]
    out = reword_actions(model, levers, actions, {"Region"})
    assert len(out) == len(actions)
    assert out["column"].tolist() == actions["column"].tolist()  # the model's column order
    north = out[(out["column"] == "Region") & (out["when"] == "North")]["action"].item()
    assert north == "Offer a Region that fits them better than North"
    assert set(out.loc[out["column"] == "Contract", "action"]) == {"Call them about their contract"}
