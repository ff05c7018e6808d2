"""The Retention & CLV figures: built from engine results, honest axes, empty cases say why."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.kpis.retention import CLV
from churn_core.schema.profile import profile_table
from churn_core.survival import plots
from churn_core.survival.durations import get_survival_data
from churn_core.survival.hazards import fit_hazards
from churn_core.survival.kaplan_meier import fit_kaplan_meier, get_cohort_retention


@pytest.fixture(scope="module")
def prepared(frame: pd.DataFrame):  # type: ignore[no-untyped-def]
    profile = profile_table(frame)
    return profile, get_survival_data(frame, profile)


def test_retention_curves_draw_a_line_and_a_band_per_group(frame, prepared) -> None:  # type: ignore[no-untyped-def]
    km = fit_kaplan_meier(prepared[1], frame["Contract"])
    fig = plots.plot_retention_curves(km)
    lines = [t for t in fig.data if t.showlegend is not False]
    assert len(lines) == 3 and len(fig.data) == 6
    assert all(max(t.y) <= 1 for t in fig.data)
    assert fig.layout.title.text == "Retention by Contract"
    assert "customers followed this long" in lines[0].hovertemplate


def test_hazard_ratios_are_drawn_on_a_log_axis_with_no_effect_marked(frame, prepared) -> None:  # type: ignore[no-untyped-def]
    hazards = fit_hazards(frame, prepared[0], prepared[1])
    fig = plots.plot_hazard_ratios(hazards.ratios)
    assert fig.layout.xaxis.type == "log"
    assert [a.text for a in fig.layout.annotations] == ["no effect"]
    assert len(fig.data[0].x) == min(15, len(hazards.ratios))


def test_value_risk_names_the_corner_and_empty_inputs_say_why() -> None:
    values = pd.DataFrame(
        {"id": ["a", "b", "c"], CLV: [10.0, 500.0, 20.0], col.CHURN_PROBABILITY: [0.1, 0.9, 0.8]}
    )
    fig = plots.plot_value_risk(values, "id", risk_cut=0.5, value_cut=400.0)
    assert [t.name for t in fig.data] == ["Others (2)", "High value, high risk (1)"]
    assert list(fig.data[1].customdata) == ["b"]
    empty = plots.plot_value_risk(values.iloc[:0], "id", 0.5, 1.0)
    assert empty.layout.annotations[0].text == "Needs both CLV and churn probabilities."
    no_clv = plots.plot_clv_distribution(pd.DataFrame({CLV: [np.nan]}))
    assert "needs a monthly revenue column" in no_clv.layout.annotations[0].text


def test_cohort_heatmap_leaves_young_cohorts_blank(frame, prepared) -> None:  # type: ignore[no-untyped-def]
    table = get_cohort_retention(frame["SignupDate"], prepared[1])
    fig = plots.plot_cohort_retention(table)
    assert fig.data[0].text[-1][-1] == ""  # the newest cohort is not 24 months old
    assert fig.layout.yaxis.autorange == "reversed"
