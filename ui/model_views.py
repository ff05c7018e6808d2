"""How a trained model and its list are shown: quality in plain words first (the numbers behind
"For analysts"), the list on screen, and the hand-over downloads."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from churn_core import columns as col
from churn_core.io import at_risk_filename, get_display_name, to_csv_bytes
from churn_core.model import (
    METRIC_DEFINITIONS,
    ChurnModel,
    Policy,
    describe_quality,
    get_derived_df,
    get_leaderboard,
    plots,
)
from churn_core.risk import AtRiskList, carry_columns, get_handover_facts, to_handover_workbook
from churn_core.survival import ClvAssumptions
from ui.model_state import clv_assumptions
from ui.state import Dataset

#: Larger lists are offered as CSV only: Excel files of 100k rows took ~20 s to build.
MAX_EXCEL_ROWS = 50_000
#: The heading of every expander that holds the numbers and charts only analysts need.
FOR_ANALYSTS = "For analysts"
#: The widget key of the currency the list's money is in (empty: plain numbers).
CURRENCY_KEY = "list_currency"


def describe_model_in_use(model: ChurnModel) -> str:
    """The model's name and its quality in one plain sentence (Home, the page, the sidebar)."""
    return f"{model.name}. {describe_quality(model).sentence}"


def show_model_quality(model: ChurnModel) -> None:
    """The quality sentence; the held-out numbers, leaderboard and charts for analysts; the
    columns left out."""
    card, evaluation = model.card, model.evaluation
    quality = describe_quality(model)
    st.markdown(f"**{quality.sentence}**")
    st.caption(
        "Checked on customers the model never saw while learning, next to a one-rule baseline. "
        "The riskiest fifth is where a retention team starts calling."
    )
    with st.expander(FOR_ANALYSTS, icon=":material/analytics:"):
        if quality.for_analysts:
            numbers = pd.DataFrame([quality.for_analysts])
            st.dataframe(numbers.style.format(precision=3), hide_index=True, width="stretch")
        st.dataframe(
            get_leaderboard(card).style.format(precision=3), hide_index=True, width="stretch"
        )
        st.markdown("\n".join(f"- **{k}**: {v}" for k, v in METRIC_DEFINITIONS.items()))
        derived = get_derived_df(card)
        if len(derived):
            st.markdown(
                '**Columns that follow from others.** A model that reads them "holding the '
                'others fixed" learns what no business can do (a lower total bill with the '
                "same monthly one), so they are left out unless you keep them on the Data "
                "page; kept, they are never levers, reasons to act on or hazard-ratio readings."
            )
            st.dataframe(derived, hide_index=True, width="stretch")
        if evaluation is not None:
            name = card["model"]["name"]
            y = evaluation.y_test
            curves = {name: evaluation.p_test, "One-rule baseline": evaluation.p_baseline}
            left, right = st.columns(2)
            left.plotly_chart(plots.plot_roc(y, curves), width="stretch")
            right.plotly_chart(plots.plot_cumulative_gains(y, curves), width="stretch")
            left.plotly_chart(plots.plot_precision_recall(y, curves), width="stretch")
            right.plotly_chart(
                plots.plot_calibration(y, {name: evaluation.p_test}), width="stretch"
            )
            st.plotly_chart(
                plots.plot_confusion_matrix(y, evaluation.p_test >= model.threshold),
                width="stretch",
            )
    with st.expander(f"Columns the model does not use ({len(card['excluded'])})"):
        st.dataframe(card["excluded"], hide_index=True, width="stretch")


def show_risk_distribution(at_risk: AtRiskList) -> None:
    """How many customers got each churn probability, coloured by band, the policy's line."""
    frame = at_risk.frame
    st.plotly_chart(
        plots.plot_risk_distribution(
            frame[col.CHURN_PROBABILITY].to_numpy(),
            threshold=at_risk.flagging.cutoff,
            bands=frame[col.RISK_BAND].to_numpy(),
        ),
        width="stretch",
    )


def list_settings(dataset: Dataset, at_risk: AtRiskList) -> tuple[AtRiskList, str]:
    """The user's own columns to carry into the list (name, email, plan...) and the currency of
    its money; returns the list with those columns and the currency ("" when not set)."""
    own = [c for c in dataset.frame.columns if c != at_risk.id_column]
    columns, money = st.columns([3, 1])
    chosen = columns.multiselect(
        "Add your own columns to the list",
        own,
        key=f"carry_columns|{dataset.key}",
        placeholder="e.g. a name, an email, a plan",
        help="They follow the list's columns on screen and in both downloads, so whoever "
        "calls a customer has what they need.",
    )
    currency = money.text_input(
        "Currency",
        key=CURRENCY_KEY,
        max_chars=8,
        placeholder="e.g. EUR",
        help="Shown with money in the Excel download and the offer's value. Empty: plain numbers.",
    )
    return carry_columns(at_risk, dataset.frame, chosen), currency.strip()


def download_list(
    key: tuple[object, ...],
    listed: pd.DataFrame,
    at_risk: AtRiskList,
    model: ChurnModel,
    *,
    data_name: str,
    policy: Policy,
    currency: str,
    filters: str,
    on_download: Callable[[], None] | None = None,
) -> None:
    """CSV (the contract's column names) and Excel (friendly headers, formats, "About this
    list") downloads of ``listed``, built once per ``key`` (everything the list depends on);
    ``on_download`` runs when either is clicked (it keeps the list in the workspace)."""
    csv, excel = _files(
        key, listed, at_risk, model, data_name, policy, clv_assumptions(), currency, filters
    )
    download_buttons(data_name, len(listed), csv, excel, on_download)


@st.cache_data(max_entries=4, show_spinner="Preparing the downloads...")
def _files(
    key: tuple[object, ...],
    _listed: pd.DataFrame,
    _at_risk: AtRiskList,
    _model: ChurnModel,
    data_name: str,
    _policy: Policy,
    _assumptions: ClvAssumptions | None,
    currency: str,
    filters: str,
) -> tuple[bytes, bytes | None]:
    excel = None
    if len(_listed) <= MAX_EXCEL_ROWS:
        facts = get_handover_facts(
            _model,
            _at_risk,
            _listed,
            data_name=data_name,
            policy=_policy,
            clv_assumptions=_assumptions,
            currency=currency or None,
            filters=filters,
        )
        excel = to_handover_workbook(_listed, facts)
    return to_csv_bytes(_listed), excel


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
        help="The list's own column names (for other systems), then the columns you added.",
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
            help="Ready to hand over: readable headers, percents and money, and a sheet "
            '"About this list" (data, model, policy, how to read it).',
            on_click=on_download or "rerun",
        )


def at_risk_table(table: pd.DataFrame, currency: str = "") -> int:
    """The list on screen under readable headers (all-empty columns hidden); returns the
    ticked row (0 if none)."""
    money = st.column_config.NumberColumn
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
            **{name: str(get_display_name(name, currency)) for name in col.AT_RISK_COLUMNS},
            col.CHURN_PROBABILITY: st.column_config.ProgressColumn(
                "Churn probability", format="percent", min_value=0.0, max_value=1.0
            ),
            col.EXPECTED_VALUE_AT_RISK: money(
                str(get_display_name(col.EXPECTED_VALUE_AT_RISK, currency)), format="%.2f"
            ),
            col.CUSTOMER_VALUE: money(
                str(get_display_name(col.CUSTOMER_VALUE, currency)), format="%.2f"
            ),
        },
    )
    rows = event.selection.rows
    # A tick outlives a narrower filter (Streamlit keeps it): past the end, show the first.
    return int(rows[0]) if rows and rows[0] < len(table) else 0
