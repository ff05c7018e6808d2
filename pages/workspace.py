"""Workspace: everything kept for everyone with the password (data, models, lists), the
storage it takes; open, download or delete any of it."""

import streamlit as st

from churn_core.errors import ChurnDataError
from churn_core.workspace import list_at_risk_lists, list_datasets, list_models
from ui.feedback import show_data_error
from ui.frame import require_frame
from ui.workspace_state import ask, workspace
from ui.workspace_views import show_datasets, show_lists, show_messages, show_models, show_storage

require_frame()

st.title("Workspace")
st.markdown(
    "Everything kept for everyone with the password: the files uploaded, the models trained "
    "(one in use for each kind of data) and the at-risk lists handed over. It is all still "
    "here after a reload, a restart, or in a colleague's browser."
)
ws = workspace()
if ws is None:
    st.info("The workspace cannot be reached right now; what it keeps is safe.")
    st.stop()
try:
    show_storage(ws)
    datasets, models, lists = (
        ask(list_datasets, ws),
        ask(list_models, ws),
        ask(list_at_risk_lists, ws),
    )
except ChurnDataError as error:
    show_data_error(error, "The workspace cannot be read")
    st.stop()
show_messages()

data_tab, models_tab, lists_tab = st.tabs(
    [f"Datasets ({len(datasets)})", f"Models ({len(models)})", f"At-risk lists ({len(lists)})"]
)
with data_tab:
    show_datasets(ws, datasets)
with models_tab:
    show_models(ws, models)
with lists_tab:
    show_lists(ws, lists)
