"""Data: upload a file (or use the sample), check what each column is for, and its quality."""

import streamlit as st

from churn_core.errors import ChurnDataError
from churn_core.io import MAX_UPLOAD_MB
from ui.data_help import show_file_guide
from ui.data_views import show_quality, show_roles, show_uploader
from ui.feedback import show_data_error, show_problems
from ui.frame import require_frame
from ui.log_views import show_log_data
from ui.state import current_dataset, read_sheet
from ui.tables import date_columns, preview_frame

require_frame()

st.title("Data")
st.markdown(
    "Upload one row per customer: an id, whether they left, and anything that describes them "
    f"(plan, usage, charges, tenure...). CSV, TSV or Excel, up to {MAX_UPLOAD_MB} MB. A log "
    "of purchases or events (many dated rows per customer) works too."
)
show_file_guide()

upload = show_uploader()
dataset = current_dataset()
table, profile = dataset.table, dataset.profile

if len(table.sheets) > 1 and (dataset.kept or upload is not None):
    sheets: list[str] = list(table.sheets)
    sheet = st.selectbox("Sheet", sheets, index=sheets.index(str(table.sheet)))
    if sheet != table.sheet:
        try:
            read_sheet(sheet, None if upload is None else upload.getvalue())
            st.rerun()
        except ChurnDataError as error:
            show_data_error(error)

if dataset.profile.is_log:  # a purchase or event log: its roles, churn window, quality
    show_log_data(dataset)
    st.stop()

st.subheader(f"{table.describe()}")
if dataset.kept:
    st.caption(
        "Kept in the workspace: it opens again after a reload, a restart or in a colleague's "
        "browser, with the roles you apply below."
    )
elif dataset.source == "upload":
    st.caption("Not kept: the workspace was away when it was uploaded. Upload it again later.")
show_problems(profile.problems, "Fix these before churn can be modelled")

show_roles(dataset)
show_quality(profile)

st.subheader("Preview")
st.caption("The first 200 rows, numbered as in a spreadsheet (the header is row 1).")
st.dataframe(
    preview_frame(dataset.frame), width="stretch", column_config=date_columns(dataset.frame)
)
