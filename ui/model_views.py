"""How a trained model is shown: its honest held-out quality next to the baseline."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from churn_core import columns as col
from churn_core.io import at_risk_filename
from churn_core.model import METRIC_DEFINITIONS, ChurnModel, get_leaderboard, plots
from ui.model_state import MAX_EXCEL_ROWS


def show_model_quality(model: ChurnModel) -> None:
    """Leaderboard, metric definitions, the evaluation charts and the columns left out."""
    card, evaluation = model.card, model.evaluation
    st.markdown(
        f"Judged on **{card['data']['test_rows']:,} customers the model never saw** "
        "while learning, next to a one-rule baseline."
    )
    st.dataframe(get_leaderboard(card).style.format(precision=3), hide_index=True, width="stretch")
    with st.expander("What these numbers mean"):
        st.markdown("\n".join(f"- **{k}**: {v}" for k, v in METRIC_DEFINITIONS.items()))
    if evaluation is not None:
        name = card["model"]["name"]
        y = evaluation.y_test
        curves = {name: evaluation.p_test, "One-rule baseline": evaluation.p_baseline}
        left, right = st.columns(2)
        left.plotly_chart(plots.plot_roc(y, curves), width="stretch")
        right.plotly_chart(plots.plot_cumulative_gains(y, curves), width="stretch")
        left.plotly_chart(plots.plot_precision_recall(y, curves), width="stretch")
        right.plotly_chart(plots.plot_calibration(y, {name: evaluation.p_test}), width="stretch")
        st.plotly_chart(
            plots.plot_confusion_matrix(y, evaluation.p_test >= model.threshold), width="stretch"
        )
    with st.expander(f"Columns the model does not use ({len(card['excluded'])})"):
        st.dataframe(card["excluded"], hide_index=True, width="stretch")


def download_buttons(
    data_name: str,
    rows: int,
    csv: bytes,
    excel: bytes | None,
    on_download: Callable[[], None] | None = None,
) -> None:
    """CSV and Excel buttons for the shown list (Excel only up to ``MAX_EXCEL_ROWS``);
    ``on_download`` runs when either is clicked (it keeps the list in the workspace)."""
    csv_col, xlsx_col = st.columns(2)
    csv_col.download_button(
        f"Download these {rows:,} as CSV",
        csv,
        at_risk_filename(data_name, "csv"),
        "text/csv",
        icon=":material/download:",
        width="stretch",
        on_click=on_download or "rerun",
    )
    if excel is None:
        xlsx_col.caption(f"Excel download is offered up to {MAX_EXCEL_ROWS:,} rows; use CSV.")
    else:
        xlsx_col.download_button(
            f"Download these {rows:,} as Excel",
            excel,
            at_risk_filename(data_name, "xlsx"),
            icon=":material/download:",
            width="stretch",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click=on_download or "rerun",
        )


def at_risk_table(table: pd.DataFrame) -> int:
    """The list on screen (all-empty columns hidden); returns the ticked row (0 if none)."""
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="at_risk_table",
        column_order=[
            c for c in table.columns if not table[c].astype(str).isin(["", "nan", "None"]).all()
        ],
        column_config={
            col.CHURN_PROBABILITY: st.column_config.ProgressColumn(
                "churn_probability", format="percent", min_value=0.0, max_value=1.0
            ),
            col.EXPECTED_VALUE_AT_RISK: st.column_config.NumberColumn(format="%.2f"),
            col.CUSTOMER_VALUE: st.column_config.NumberColumn(format="%.2f"),
        },
    )
    rows = event.selection.rows
    # A tick outlives a narrower filter (Streamlit keeps it): past the end, show the first.
    return int(rows[0]) if rows and rows[0] < len(table) else 0
