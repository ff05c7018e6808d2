"""Reading users' files and writing ours: CSV/TSV/XLSX in with every problem reported at once,
numbers and dates cleaned, and downloads a spreadsheet opens safely."""

from churn_core.io.cleaning import (
    LONG_TEXT_CHARS,
    clean_frame,
)
from churn_core.io.export import (
    at_risk_filename,
    download_filename,
    file_slug,
    format_money,
    get_display_name,
    get_money_format,
    neutralise_formulas,
    to_csv_bytes,
    to_handover_xlsx,
    to_xlsx_bytes,
)
from churn_core.io.reading import (
    MAX_UPLOAD_MB,
    UPLOAD_TYPES,
    Table,
    check_upload_size,
    iter_table_chunks,
    read_table,
    sniff_delimiter,
)

__all__ = [
    "LONG_TEXT_CHARS",
    "MAX_UPLOAD_MB",
    "UPLOAD_TYPES",
    "Table",
    "at_risk_filename",
    "check_upload_size",
    "clean_frame",
    "download_filename",
    "file_slug",
    "format_money",
    "get_display_name",
    "get_money_format",
    "iter_table_chunks",
    "neutralise_formulas",
    "read_table",
    "sniff_delimiter",
    "to_csv_bytes",
    "to_handover_xlsx",
    "to_xlsx_bytes",
]
