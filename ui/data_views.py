"""The Data page's parts: the uploader with the samples, what each column is for (with the
role editor), and the data quality summary. The page itself (``pages/data.py``) only arranges
them."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from churn_core.errors import ChurnDataError
from churn_core.io import UPLOAD_TYPES, check_upload_size
from churn_core.schema import FEATURE_ROLES, ROLE_TITLES, Profile, Role, describe_roles
from ui.data_help import UPLOADER_HELP, UPLOADER_LABEL, hide_server_limit
from ui.feedback import escape_markdown, show_data_error, show_warnings
from ui.memory import forget_upload
from ui.state import Dataset, current_dataset, set_roles, use_log_sample, use_sample, use_upload

_GENERATION = "uploader_generation"
_UPLOAD_ID = "upload_id"


def _empty_uploader() -> None:
    """A new uploader key empties the uploader, so the file it held is not read again."""
    st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1


def show_uploader() -> UploadedFile | None:
    """The uploader and the two sample buttons. A new file is read (and kept) here, once; a
    file that cannot be used is said plainly and the page stops on the data still in use."""
    left, right = st.columns([3, 1])
    upload = left.file_uploader(
        UPLOADER_LABEL,
        type=list(UPLOAD_TYPES),
        key=f"uploader_{st.session_state.get(_GENERATION, 0)}",
        help=UPLOADER_HELP,
    )
    hide_server_limit()  # the uploader's own "50MB per file" is the server's cap, not the app's
    for label, icon, use in (
        ("Use the sample data", ":material/dataset:", use_sample),
        ("Use the sample activity log", ":material/receipt_long:", use_log_sample),
    ):
        if right.button(label, icon=icon, width="stretch"):
            use()
            _empty_uploader()
            st.session_state.pop(_UPLOAD_ID, None)
            st.rerun()

    if upload is not None and st.session_state.get(_UPLOAD_ID) != upload.file_id:
        st.session_state[_UPLOAD_ID] = upload.file_id
        try:
            check_upload_size(upload.name, upload.size)  # before the bytes are copied
            opened = use_upload(upload.getvalue(), upload.name)
        except ChurnDataError as error:
            show_data_error(error, f"{upload.name} could not be used")
            st.caption(f"Still using **{current_dataset().name}**.")
            st.stop()
        if opened is None or opened.kept:  # the workspace has its bytes: the uploader lets go
            _empty_uploader()
            forget_upload(upload.file_id)
        st.rerun()  # the sidebar names the new data too
    return upload


def show_roles(dataset: Dataset) -> None:
    """What each column is for, a role editor, derived columns kept or left out, which label
    value means "left", and the table of roles with the reasons."""
    profile = dataset.profile
    st.subheader("What each column is for")
    st.markdown(describe_roles(profile))
    roles_frame = profile.to_frame()
    pick, role_box, go = st.columns([2, 2, 1], vertical_alignment="bottom")
    column = pick.selectbox("Change the role of", roles_frame["Column"], key="role_column")
    current = profile.column(column).role
    titles = list(ROLE_TITLES.values())
    new_title = role_box.selectbox(
        "to",
        titles,
        index=titles.index(current.display_name),
        key=f"role_for_{column}_{dataset.key}",
    )
    if go.button("Apply", type="primary", disabled=new_title == current.display_name):
        set_roles(
            {**dataset.roles, column: Role.from_display_name(new_title)}, dataset.churned_value
        )
        st.rerun()
    picked = profile.column(column)
    if picked.derived is not None:  # it follows other columns: left out unless the user keeps it
        how = escape_markdown(picked.derived.describe())
        if picked.set_by_user and picked.role in FEATURE_ROLES:
            st.caption(
                f"{how}. You keep it in the model: it is used for scoring, but it is never a "
                "lever, a reason to act on or a hazard-ratio reading. Train again (Churn risk "
                "page) for the model to use it."
            )
            if st.button("Leave it out again", icon=":material/remove_circle:"):
                others = {k: v for k, v in dataset.roles.items() if k != column}
                set_roles(others, dataset.churned_value)
                st.rerun()
        else:
            st.caption(
                f"{how}: no one changes it on its own, so the model leaves it out by default (its "
                "sources tell the model the same). Keeping it rarely helps: check the model's "
                "quality before and after."
            )
            if st.button(f"Keep {column} in the model", icon=":material/add_circle:"):
                keep = Role.REVENUE if picked.role is Role.REVENUE else Role.NUMERIC
                set_roles({**dataset.roles, column: keep}, dataset.churned_value)
                st.rerun()
    if profile.label_mapping is not None:
        values = [profile.label_mapping.churned_value, profile.label_mapping.stayed_value]
        churned_value = st.radio(
            f"Which value of **{profile.label_column}** means the customer left?",
            values,
            horizontal=True,
            key=f"churned_value_{dataset.key}",
        )
        if churned_value != profile.label_mapping.churned_value:
            set_roles(dict(dataset.roles), churned_value)
            st.rerun()
    if dataset.roles and st.button("Back to the detected roles", icon=":material/undo:"):
        set_roles({})
        st.rerun()
    st.caption(
        "Features are what the model learns from. Ignored columns (ids, personal data, constants, "
        "free text, label leaks) are never used. Derived columns (a product, sum, ratio or running "
        "total of others) are left out unless you keep them: pick one above to see how."
    )
    st.dataframe(
        roles_frame[["Column", "Role", "Why", "Missing %", "Examples"]],
        column_config={
            "Missing %": st.column_config.ProgressColumn(
                "Missing", format="percent", min_value=0.0, max_value=1.0
            ),
            "Why": st.column_config.TextColumn("Why", width="large"),
        },
        hide_index=True,
        width="stretch",
        height=min(36 * (len(roles_frame) + 1) + 2, 720),
    )


def show_quality(profile: Profile) -> None:
    """Complete rows, missing cells, repeated rows, and anything odd found in the file."""
    st.subheader("Data quality")
    q1, q2, q3 = st.columns(3)
    q1.metric(
        "Complete rows",
        f"{profile.complete_rows / max(profile.rows, 1):.0%}",
        help="Rows with a value in every column (an empty end date just means the customer has "
        "not left).",
    )
    q2.metric(
        "Missing cells",
        f"{profile.missing_cells / max(profile.checked_cells, 1):.1%}",
        help=f"{profile.missing_cells:,} of {profile.checked_cells:,} cells are empty, not "
        "counting end dates.",
    )
    q3.metric(
        "Repeated rows",
        f"{profile.duplicate_rows:,}",
        help="Rows that exactly repeat an earlier row.",
    )
    if profile.warnings:
        show_warnings(profile.warnings, expanded=True)
    else:
        st.success("Nothing odd found in this file.", icon=":material/check_circle:")
