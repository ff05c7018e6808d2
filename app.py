"""Churn Workbench: the frame. Page config, login, navigation, the menu and the shared sidebar.

After login the workspace is opened (migrations run the first time), its training queue
started, and a plain message shown above every page while its database is away.

Run with ``make run`` (or ``streamlit run app.py``). A page that Streamlit runs on its own
hands over to this script (``ui.frame.require_frame``, which says why).
"""

import streamlit as st

from ui.auth import has_access, show_account, show_login
from ui.feedback import page_guard
from ui.frame import app_frame, show_menu
from ui.memory import tune_allocator
from ui.sidebar import render_sidebar
from ui.training_state import start_training_queue
from ui.workspace_state import show_workspace_fault

st.set_page_config(page_title="Churn Workbench", page_icon=":material/insights:", layout="wide")
tune_allocator()  # once per server: freed memory goes back to the system (a 512 MB dyno)

PAGES = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/data.py", title="Data", icon=":material/upload_file:"),
    st.Page("pages/explore.py", title="Explore", icon=":material/query_stats:"),
    st.Page("pages/segments.py", title="Segments", icon=":material/group_work:"),
    st.Page("pages/churn_risk.py", title="Churn risk", icon=":material/warning:"),
    st.Page("pages/score_customer.py", title="Score a customer", icon=":material/person_search:"),
    st.Page("pages/retention_clv.py", title="Retention & CLV", icon=":material/savings:"),
    st.Page("pages/monitoring.py", title="Monitoring", icon=":material/monitoring:"),
    st.Page("pages/workspace.py", title="Workspace", icon=":material/inventory_2:"),
]

allowed = has_access()
# Routing runs even before login, so a deep link (/churn_risk) opens that page after it.
# Streamlit's menu stays hidden (here and in .streamlit/config.toml): the app draws its own.
page = st.navigation(PAGES, position="hidden")
if not allowed:
    show_login()  # ends the run: nothing of the data renders before login
with app_frame(page.title), page_guard():
    show_menu(PAGES)
    start_training_queue()  # one per server: trainings left waiting by a restart start now
    render_sidebar()
    show_account()
    show_workspace_fault()
    page.run()
