"""Churn Workbench: the frame. Page config, login, navigation and the shared sidebar.

Run with ``make run`` (or ``streamlit run app.py``).
"""

import streamlit as st

from ui.auth import has_access, show_account, show_login
from ui.feedback import page_guard
from ui.frame import app_frame
from ui.sidebar import render_sidebar

st.set_page_config(page_title="Churn Workbench", page_icon=":material/insights:", layout="wide")

PAGES = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/data.py", title="Data", icon=":material/upload_file:"),
    st.Page("pages/explore.py", title="Explore", icon=":material/query_stats:"),
    st.Page("pages/segments.py", title="Segments", icon=":material/group_work:"),
    st.Page("pages/churn_risk.py", title="Churn risk", icon=":material/warning:"),
    st.Page("pages/score_customer.py", title="Score a customer", icon=":material/person_search:"),
    st.Page("pages/retention_clv.py", title="Retention & CLV", icon=":material/savings:"),
]

allowed = has_access()
# Routing runs even before login, so a deep link (/churn_risk) opens that page after it.
page = st.navigation(PAGES, position="sidebar" if allowed else "hidden")
if not allowed:
    show_login()  # ends the run: nothing of the data renders before login
with app_frame(), page_guard():
    render_sidebar()
    show_account()
    page.run()
