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
    iter_csv_bytes,
    neutralise_formulas,
    to_csv_bytes,
    to_xlsx_bytes,
    write_parquet,
)
from churn_core.io.reading import (
    MAX_UPLOAD_MB,
    PARQUET_MAGIC,
    UPLOAD_TYPES,
    Table,
    TextLayout,
    check_upload_size,
    iter_table_chunks,
    parse_text_cells,
    read_table,
    sniff_delimiter,
    sniff_text_layout,
)

__all__ = [
    "LONG_TEXT_CHARS",
    "MAX_UPLOAD_MB",
    "PARQUET_MAGIC",
    "UPLOAD_TYPES",
    "Table",
    "TextLayout",
    "at_risk_filename",
    "check_upload_size",
    "clean_frame",
    "download_filename",
    "file_slug",
    "iter_csv_bytes",
    "iter_table_chunks",
    "neutralise_formulas",
    "parse_text_cells",
    "read_table",
    "sniff_delimiter",
    "sniff_text_layout",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "write_parquet",
]
