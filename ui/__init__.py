"""The only non-page code that imports streamlit: session state, caching, sidebar, messages."""
