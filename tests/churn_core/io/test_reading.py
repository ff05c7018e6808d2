"""Reading customer files: a catalogue of bad and awkward files with the exact words each gives.

Every file in ``tests/data/bad/`` (made by ``make_bad_files.py`` there) has at least one row in
``CATALOGUE``: what stage speaks (the reader refuses the file, the reader warns, or the
profile reports), the issue's code, and the full sentence the user reads. A row with no code
means the file must read (and profile) without a single problem or warning.

Rows marked xfail describe what *should* happen and does not yet; each reason names the fix.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from churn_core.errors import ChurnDataError, Issue
from churn_core.io.reading import MAX_UPLOAD_MB, read_table, sniff_delimiter
from churn_core.schema.profile import profile_table

BAD = Path(__file__).resolve().parents[2] / "data" / "bad"
SAVE_AS = "Open it in Excel or Google Sheets and save it as CSV or XLSX, then upload again."
CHECK_VALUES = "Nothing to do; check a few values on the Data page look right."
LEAK_FIX = (
    "If {col} is known before a customer leaves, set its role back on the Data page; "
    "otherwise nothing to do (Churn is what we predict)."
)


@dataclass(frozen=True)
class Expect:
    """What one bad file must produce.

    stage: "refused" (read_table raises), "read" (a reading warning, or none when code is
    None), "profile" (a profile problem or warning, or none of either when code is None).
    """

    file: str
    stage: str
    code: str | None = None
    message: str | None = None
    column: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


def label(expect: Expect) -> str:
    """``"two_sheets.xlsx-no_such_sheet"``: the file and what it must say."""
    parts = [expect.file, expect.code or "clean", expect.column or ""]
    if "roles" in expect.options:
        parts.append("roles=" + "+".join(expect.options["roles"]))
    return "-".join(p for p in parts if p)


def xfail(expect: Expect, reason: str) -> Any:
    return pytest.param(
        expect, id=label(expect), marks=pytest.mark.xfail(strict=True, reason=reason)
    )


CATALOGUE = [
    # --- Not a table at all: refused with one problem. ---
    Expect(
        "empty.csv",
        "refused",
        "empty_file",
        "empty.csv is empty. Export the customer table again and check it has rows.",
    ),
    Expect(
        "whitespace_only.csv",
        "refused",
        "empty_file",
        "whitespace_only.csv is empty. Export the customer table again and check it has rows.",
    ),
    Expect(
        "header_only.csv",
        "refused",
        "no_rows",
        "header_only.csv has column names but no rows of customers. "
        "Export the table again with its data rows.",
    ),
    Expect(
        "png_renamed.csv",
        "refused",
        "not_a_table",
        "png_renamed.csv is a PNG image, not a table of customers. "
        "Upload the customer table itself, as a CSV or XLSX file.",
    ),
    Expect(
        "pdf_renamed.csv",
        "refused",
        "not_a_table",
        "pdf_renamed.csv is a PDF document, not a table of customers. "
        "Upload the customer table itself, as a CSV or XLSX file.",
    ),
    Expect(
        "customers.csv.gz",
        "refused",
        "not_a_table",
        "customers.csv.gz is a gzip archive, not a table of customers. "
        "Unzip it and upload the CSV or XLSX inside.",
    ),
    Expect(
        "customers_export.zip",
        "refused",
        "not_a_table",
        "customers_export.zip is a compressed (zip) file, not a table of customers. "
        "Unzip it and upload the CSV or XLSX inside.",
    ),
    Expect(
        "truncated_workbook.xlsx",
        "refused",
        "bad_xlsx",
        "truncated_workbook.xlsx looks like an Excel workbook but could not be opened: it may "
        f"be damaged or only partly downloaded. {SAVE_AS}",
    ),
    Expect(
        "ragged_rows.csv",
        "refused",
        "ragged_rows",
        "3 rows of ragged_rows.csv have more values than the 5 column names: row 3 has 6, row 5 "
        'has 6, row 7 has 7. A value probably contains the comma "," without quotes around it: '
        "put quotes around such values or remove the extra values, then upload again.",
    ),
    Expect(
        "multiline_cell_then_ragged.csv",
        "refused",
        "ragged_rows",
        "1 row of multiline_cell_then_ragged.csv has more values than the 4 column names: "
        'row 3 has 5. A value probably contains the comma "," without quotes around it: '
        "put quotes around such values or remove the extra values, then upload again.",
    ),
    Expect(
        "two_sheets.xlsx",
        "refused",
        "no_such_sheet",
        'two_sheets.xlsx has no sheet "Renewals"; its sheets are: Customers, Archive. '
        "Pick one of those sheets.",
        options={"sheet": "Renewals"},
    ),
    # --- Read, with a warning that says what was done. ---
    Expect(
        "xlsx_renamed.csv",
        "read",
        "xlsx_renamed",
        "xlsx_renamed.csv is named like a text file but is an Excel workbook; it was read as "
        "one. Renaming it to .xlsx avoids confusion next time.",
    ),
    Expect(
        "two_sheets.xlsx",
        "read",
        "first_sheet",
        'two_sheets.xlsx has 2 sheets; the first, "Customers", was read. '
        "Choose another sheet if the customers are elsewhere.",
    ),
    Expect(
        "semicolon_decimal_comma.csv",
        "read",
        "numbers_as_text",
        "TotalCharges holds numbers written as text; removed decimal commas (1.234,5 = 1234.5) "
        f"and read them as numbers. {CHECK_VALUES}",
        column="TotalCharges",
    ),
    Expect(
        "latin1_accents.csv",
        "read",
        "not_utf8",
        "latin1_accents.csv is not saved as UTF-8; it was read as Windows-1252 (Western "
        'European) text. If accented letters look wrong, save the file as "CSV UTF-8" and '
        "upload it again.",
    ),
    Expect(
        "duplicate_column_names.csv",
        "read",
        "duplicate_column_name",
        'Column name "Charges" appears 2 times (columns B, D); the copy in column D is shown as '
        '"Charges (2)". Give each column its own name in the file to keep your own names.',
    ),
    Expect(
        "blank_column_name.csv",
        "read",
        "blank_column_name",
        '1 column had no name (B) and is shown as "Column B". '
        "Give every column a name in the first row of the file.",
    ),
    Expect(
        "currency_and_percent.csv",
        "read",
        "numbers_as_text",
        "TotalSpend holds numbers written as text; removed currency symbols and thousands "
        f"separators and read them as numbers. {CHECK_VALUES}",
        column="TotalSpend",
    ),
    Expect(
        "currency_and_percent.csv",
        "read",
        "numbers_as_text",
        "Discount holds numbers written as text; removed percent signs (12% is read as 12) and "
        f"read them as numbers. {CHECK_VALUES}",
        column="Discount",
    ),
    Expect(
        "blank_spaces_in_numbers.csv",
        "read",
        "blank_strings",
        "TotalCharges has 2 blank cells holding only spaces (rows 4 and 9); they are treated as "
        "missing. Leave cells truly empty in the export if the value is unknown.",
    ),
    Expect(
        "words_in_numbers.csv",
        "read",
        "text_in_numbers",
        'LastBill is a number column but 2 cells hold text, e.g. row 6: "n/a", row 33: '
        '"unknown"; they are treated as missing. Replace those cells with a number, or leave '
        "them empty if unknown.",
    ),
    Expect(
        "mixed_date_formats.csv",
        "read",
        "mixed_date_formats",
        'SignupDate mixes date formats: 4 rows like "2023-01-15" (year-month-day) and 2 rows '
        'like "15/03/2023" (day/month/year); all were read as dates. Check rows 2 and 4 mean '
        "what you expect, and use one date format (such as 2024-01-31) in the export.",
    ),
    Expect(
        "long_text.csv",
        "read",
        "long_text",
        "Notes has very long text (up to 1,070 characters, row 4); long free text is shown "
        "shortened and not used by the model.",
    ),
    Expect(
        "formula_cells.csv",
        "read",
        "formula_cells",
        "ReferralSource has 2 cells starting with = or @ (rows 2 and 4); spreadsheets could run "
        "them as formulas. Nothing to do: they are kept as plain text, and every download from "
        "this app neutralises them.",
    ),
    Expect(
        "short_rows.csv",
        "read",
        "short_rows",
        "2 rows have fewer values than the 4 column names (rows 3 and 5); the missing cells "
        "were left empty. Check those rows were exported completely.",
    ),
    Expect(
        "blank_line_inside.csv",
        "read",
        "text_in_numbers",
        'MonthlyCharges is a number column but 2 cells hold text, e.g. row 4: "unknown", '
        'row 42: "tbc"; they are treated as missing. Replace those cells with a number, or '
        "leave them empty if unknown.",
    ),
    # --- Read cleanly: not a single warning. ---
    Expect("codes_among_numbers.csv", "read"),
    Expect("leading_zero_ids.csv", "read"),
    Expect("region_codes.csv", "read"),
    Expect("utf8_bom.csv", "read"),
    Expect("utf16_unicode_text.txt", "read"),
    Expect("trailing_blank_lines.csv", "read"),
    Expect("crlf_line_endings.csv", "read"),
    Expect("trailing_delimiter.csv", "read"),
    Expect("space_separated.txt", "read"),  # columns lined up with spaces: read (issue 15)
    # --- Profile problems and warnings. ---
    Expect(
        "no_label.csv",
        "profile",
        "no_label",
        "No churn label found: no column says whether each customer left, with two values such "
        "as Yes/No or 1/0 and a name like Churn, Exited or Cancelled. On the Data page, set the "
        'role of the column that says who left to "Churn label", or add such a column to the '
        "file.",
    ),
    Expect(
        "label_three_values.csv",
        "profile",
        "label_not_binary",
        'Churn must have exactly two values (such as Yes/No or 1/0); found 3: "No", "Yes", '
        '"Maybe" (e.g. "Maybe" on row 42). Recode it to two values (left / stayed), or choose '
        "another label column.",
    ),
    Expect(
        "label_three_values.csv",
        "profile",
        "label_not_binary",
        'Plan must have exactly two values (such as Yes/No or 1/0); found 3: "Basic", '
        '"Premium", "Standard" (e.g. "Standard" on row 3). Recode it to two values (left / '
        "stayed), or choose another label column.",
        options={"roles": {"Plan": "label"}},
    ),
    Expect(
        "label_one_class.csv",
        "profile",
        "label_one_class",
        'Churn has only one value ("No") in all 80 rows; a churn model needs customers who left '
        "and customers who stayed. Export a file that includes both, or choose another label "
        "column.",
    ),
    Expect(
        "is_active_yes_no.csv",
        "profile",
        "role_twice",
        "Only one column can be the churn label (what we predict); you chose IsActive and Plan. "
        "Keep one and set the others to another role.",
        options={"roles": {"IsActive": "label", "Plan": "label"}},
    ),
    Expect(
        "duplicate_ids.csv",
        "profile",
        "duplicate_ids",
        "CustomerID should name each customer once, but 1 value appears more than once, e.g. "
        '"C0007" on rows 8 and 42. Remove the duplicate rows so there is one row per '
        'customer, or set CustomerID to "Ignored" if it is not a customer id.',
    ),
    Expect(
        "leak_cancellation_reason.csv",
        "profile",
        "leak",
        "CancellationReason was left out of the model: it alone tells who left with 100.0% "
        "accuracy: probably recorded after the customer left (a leak). "
        + LEAK_FIX.format(col="CancellationReason"),
    ),
    Expect(
        "leak_days_since_cancel.csv",
        "profile",
        "leak",
        "DaysSinceCancel was left out of the model: it alone tells who left with 100.0% "
        "accuracy: probably recorded after the customer left (a leak). "
        + LEAK_FIX.format(col="DaysSinceCancel"),
    ),
    # --- Profile cleanly: the roles are checked in test_profile.py. ---
    Expect("email_column.csv", "profile"),
    Expect("attrited_customer.csv", "profile"),
    Expect("is_active_yes_no.csv", "profile"),
]


def _case_id(case: Any) -> str:
    return label(case) if isinstance(case, Expect) else str(case)


def _only(issues: list[Issue], code: str, column: str | None) -> Issue:
    found = [i for i in issues if i.code == code and (column is None or i.column == column)]
    assert len(found) == 1, f"expected one {code!r} issue, got: {[str(i) for i in issues]}"
    return found[0]


@pytest.mark.parametrize("expect", CATALOGUE, ids=_case_id)
def test_each_bad_file_gives_its_exact_message(expect: Expect) -> None:
    path = BAD / expect.file
    sheet = expect.options.get("sheet")
    if expect.stage == "refused":
        with pytest.raises(ChurnDataError) as caught:
            read_table(path, sheet=sheet)
        assert [p.code for p in caught.value.problems] == [expect.code]
        assert str(caught.value) == expect.message
        return
    table = read_table(path, sheet=sheet)
    if expect.stage == "read":
        issues: list[Issue] = list(table.warnings)
    else:
        profile = profile_table(
            table.frame, roles=expect.options.get("roles"), warnings=table.warnings
        )
        issues = [*profile.problems, *profile.warnings]
    if expect.code is None:
        assert [str(i) for i in issues] == []
        return
    issue = _only(issues, expect.code, expect.column)
    assert str(issue) == expect.message


def test_every_file_in_the_corpus_is_catalogued_and_there_are_at_least_28() -> None:
    files = {p.name for p in BAD.iterdir() if p.is_file() and p.suffix != ".py"}
    catalogued = {(c if isinstance(c, Expect) else c.values[0]).file for c in CATALOGUE}
    assert files == catalogued
    assert len(files) >= 28


# --- What the reader makes of the awkward files, value by value. ---


def read(name: str, **kwargs: Any) -> pd.DataFrame:
    return read_table(BAD / name, **kwargs).frame


def test_latin1_accents_are_read_as_written() -> None:
    table = read_table(BAD / "latin1_accents.csv")
    assert table.encoding == "cp1252"
    cities = ["Orléans", "München", "A Coruña", "Zürich", "Málaga", "Köln"]
    assert list(table.frame["City"]) == cities


def test_utf8_bom_is_not_part_of_the_first_column_name() -> None:
    table = read_table(BAD / "utf8_bom.csv")
    assert table.frame.columns[0] == "CustomerID"
    assert table.frame["CustomerID"].iloc[0] == "C0001"


def test_excel_unicode_text_is_read_as_utf16_with_tabs_and_accents() -> None:
    table = read_table(BAD / "utf16_unicode_text.txt")
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.frame.shape == (6, 7)
    assert table.frame.columns[0] == "CustomerID"
    assert table.frame["City"].iloc[2] == "A Coruña"
    assert table.frame["MonthlyCharges"].dtype == "float64"


def test_xlsx_renamed_csv_is_read_as_the_workbook_it_is() -> None:
    table = read_table(BAD / "xlsx_renamed.csv")
    assert table.file_format == "xlsx"
    assert table.frame.shape == (6, 6)
    assert list(table.frame["CustomerID"][:2]) == ["C0001", "C0002"]


def test_a_named_sheet_is_read_without_a_first_sheet_warning() -> None:
    table = read_table(BAD / "two_sheets.xlsx", sheet="Archive")
    assert table.sheet == "Archive"
    assert table.frame.shape == (4, 6)
    assert table.warnings == []


def test_a_sheet_can_be_chosen_by_position() -> None:
    assert read_table(BAD / "two_sheets.xlsx", sheet=1).sheet == "Archive"


def test_semicolons_and_decimal_commas_become_real_numbers() -> None:
    table = read_table(BAD / "semicolon_decimal_comma.csv")
    assert table.delimiter == ";"
    assert list(table.frame["TotalCharges"]) == [1234.5, 89.9, 12000.0, 450.25, 3210.75, 77.0]
    assert table.frame["MonthlyCharges"].iloc[0] == 41.78


def test_currency_and_percent_become_numbers_without_the_symbols() -> None:
    frame = read("currency_and_percent.csv")
    assert list(frame["TotalSpend"]) == [1234.5, 89.9, 12000.0, 450.25, 3210.75, 77.0]
    assert list(frame["Discount"]) == [12.0, 0.0, 7.5, 25.0, 3.0, 10.0]


def test_blank_looking_cells_in_a_number_column_become_missing() -> None:
    frame = read("blank_spaces_in_numbers.csv")
    assert frame["TotalCharges"].dtype == "float64"
    assert list(np.flatnonzero(frame["TotalCharges"].isna())) == [2, 7]


def test_a_few_words_in_a_number_column_leave_the_rest_as_numbers() -> None:
    frame = read("words_in_numbers.csv")
    assert frame["LastBill"].dtype == "float64"
    assert list(np.flatnonzero(frame["LastBill"].isna())) == [4, 31]


def test_codes_among_numbers_keep_the_column_as_text_and_lose_nothing() -> None:
    frame = read("codes_among_numbers.csv")
    raw = pd.read_csv(BAD / "codes_among_numbers.csv", dtype=str)["LastInvoice"]
    assert list(frame["LastInvoice"]) == list(raw)
    assert frame["LastInvoice"].iloc[5] == "C537893"
    assert frame["LastInvoice"].iloc[0] == "536365"


def test_ids_with_leading_zeros_keep_their_zeros() -> None:
    assert list(read("leading_zero_ids.csv")["AccountNo"]) == ["000123", "004567", "012345"]


def test_text_that_pandas_calls_missing_such_as_na_is_kept() -> None:
    assert list(read("region_codes.csv")["Region"]) == ["NA", "EU", "APAC", "NA"]


def test_mixed_date_formats_are_all_read_as_dates() -> None:
    dates = read("mixed_date_formats.csv")["SignupDate"]
    assert list(dates.dt.strftime("%Y-%m-%d")) == [
        "2023-01-15",
        "2023-02-03",
        "2023-03-15",
        "2023-04-28",
        "2023-05-30",
        "2023-06-11",
    ]


def test_formula_like_cells_are_kept_verbatim() -> None:
    refs = read("formula_cells.csv")["ReferralSource"]
    assert refs.iloc[0] == '=HYPERLINK("http://x.example")'
    assert refs.iloc[2] == "@campaign_spring"


def test_long_text_is_kept_whole() -> None:
    notes = read("long_text.csv")["Notes"]
    assert notes.str.len().max() == 1070


def test_ragged_rows_are_all_listed_at_once() -> None:
    with pytest.raises(ChurnDataError) as caught:
        read_table(BAD / "ragged_rows.csv")
    (problem,) = caught.value.problems
    assert problem.rows == (3, 5, 7)


def test_short_rows_are_padded_with_missing_values() -> None:
    frame = read("short_rows.csv")
    assert frame.shape == (4, 4)
    assert frame["MonthlyCharges"].isna().tolist() == [False, True, False, False]
    assert frame["Churn"].isna().tolist() == [False, True, False, True]


@pytest.mark.parametrize(
    "name", ["trailing_blank_lines.csv", "crlf_line_endings.csv", "trailing_delimiter.csv"]
)
def test_line_ending_quirks_give_the_same_table_as_a_plain_csv(name: str) -> None:
    plain = read("utf8_bom.csv")
    pd.testing.assert_frame_equal(read(name), plain)


def test_duplicate_column_names_are_kept_apart() -> None:
    frame = read("duplicate_column_names.csv")
    assert list(frame.columns) == ["CustomerID", "Charges", "Plan", "Charges (2)", "Churn"]
    assert list(frame["Charges (2)"]) == [359.88, 99.0, 1068.0]


def test_two_blank_column_names_are_both_named_in_the_warning() -> None:
    table = read_table(b"CustomerID,,Plan,,Churn\nC1,1,Basic,x,Yes\nC2,2,Gold,y,No\n", name="t.csv")
    (warning,) = table.warnings
    assert str(warning) == (
        '2 columns had no name (B, D) and are shown as "Column B" and "Column D". '
        "Give every column a name in the first row of the file."
    )


def test_a_column_name_used_three_times_gets_a_warning_per_copy() -> None:
    table = read_table(b"id,x,x,x,churn\n1,1,2,3,Yes\n2,4,5,6,No\n", name="t.csv")
    assert list(table.frame.columns) == ["id", "x", "x (2)", "x (3)", "churn"]
    assert [w.code for w in table.warnings] == ["duplicate_column_name"] * 2


# --- Sources, separators and limits. ---


def test_bytes_path_and_file_object_read_alike() -> None:
    path = BAD / "crlf_line_endings.csv"
    from_path = read_table(path).frame
    from_bytes = read_table(path.read_bytes(), name=path.name).frame
    with path.open("rb") as handle:
        from_handle = read_table(handle).frame
    pd.testing.assert_frame_equal(from_bytes, from_path)
    pd.testing.assert_frame_equal(from_handle, from_path)


def test_a_missing_path_is_reported_with_the_path() -> None:
    with pytest.raises(ChurnDataError) as caught:
        read_table(BAD / "no_such_file.csv")
    assert caught.value.problems[0].code == "no_file"
    where = BAD / "no_such_file.csv"
    assert str(caught.value) == f'No file found at "{where}". Check the path and try again.'


@pytest.mark.parametrize(
    ("lines", "delimiter"),
    [
        (["a,b,c", "1,2,3"], ","),
        (["a;b;c", "1;2,5;3"], ";"),
        (["a\tb", "1,5\t2"], "\t"),
        (["a|b|c", "1|2|3"], "|"),
        (["a;b", "1,000;2", "3,5;4"], ";"),
    ],
)
def test_the_separator_is_sniffed_from_the_first_lines(lines: list[str], delimiter: str) -> None:
    assert sniff_delimiter(lines) == delimiter


def write_big_csv(path: Path, megabytes: float) -> Path:
    header = b"CustomerID,Plan,MonthlyCharges,Churn\n"
    row = b"C0000001,Basic,29.99,No\n"
    count = (int(megabytes * 1024 * 1024) - len(header)) // len(row)
    with path.open("wb") as handle:
        handle.write(header)
        block = row * 10_000
        for _ in range(count // 10_000):
            handle.write(block)
        handle.write(row * (count % 10_000))
    return path


BIG_MB = MAX_UPLOAD_MB + 2
BIG_MESSAGE = (
    f"big.csv is {BIG_MB}.0 MB; the app accepts files up to {MAX_UPLOAD_MB} MB. Upload a smaller "
    "extract (fewer rows or columns), or use the command line for large files: python -m "
    "churn_core profile FILE."
)


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = write_big_csv(tmp_path / "big.csv", BIG_MB)
    assert (
        MAX_UPLOAD_MB == 10
    )  # what a 512 MB dyno can profile (python -m benchmarks --upload-memory)
    with pytest.raises(ChurnDataError) as caught:
        read_table(path)
    assert caught.value.problems[0].code == "file_too_large"
    assert str(caught.value) == BIG_MESSAGE


def test_a_file_object_over_the_limit_is_refused_with_its_real_size(tmp_path: Path) -> None:
    path = write_big_csv(tmp_path / "big.csv", BIG_MB)
    with path.open("rb") as handle, pytest.raises(ChurnDataError) as caught:
        read_table(handle, name="big.csv")
    assert str(caught.value) == BIG_MESSAGE


@pytest.mark.slow  # about 2 s, most of it judging 498 columns for leaks
def test_a_500_column_file_reads_and_profiles(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    rows = 200
    columns: dict[str, Any] = {"CustomerID": [f"C{i:05d}" for i in range(rows)]}
    for i in range(249):
        columns[f"Usage{i:03d}"] = rng.integers(0, 100, rows)
        columns[f"Segment{i:03d}"] = rng.choice(["Gold", "Silver", "Bronze"], rows)
    columns["Churn"] = np.where(np.arange(rows) % 4 == 0, "Yes", "No")
    path = tmp_path / "wide.csv"
    pd.DataFrame(columns).to_csv(path, index=False)

    table = read_table(path)
    profile = profile_table(table.frame, warnings=table.warnings)

    assert table.frame.shape == (200, 500)
    assert table.warnings == []
    assert profile.problems == []
    assert profile.label_column == "Churn" and profile.id_column == "CustomerID"
    assert len(profile.feature_columns) == 498


def test_odd_bytes_either_read_or_raise_a_churn_data_error_never_a_library_error() -> None:
    odd_inputs = [b"\x00\x01\x02", b"PK\x03\x04garbage", b'"unclosed,quote\n1,2\n', b"\n\n,\n"]
    for raw in odd_inputs:
        with contextlib.suppress(ChurnDataError):
            read_table(raw, name="odd.csv")


def test_an_old_excel_xls_file_is_refused_with_a_fix() -> None:
    with pytest.raises(ChurnDataError) as caught:
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, name="old.xls")
    assert str(caught.value) == (
        "old.xls is an old-style Excel (.xls) or Word file, not a table of customers. "
        "Open it in Excel, save it as .xlsx or CSV, then upload again."
    )


def test_describe_gives_a_status_line() -> None:
    table = read_table(io.BytesIO((BAD / "crlf_line_endings.csv").read_bytes()), name="c.csv")
    assert table.describe() == "c.csv: 6 rows x 6 columns"


# --- Columns lined up with spaces, files without a header row, dates as YYYYMMDD (issue 15). ---


def test_a_table_lined_up_with_spaces_is_read_under_its_own_column_names() -> None:
    table = read_table(BAD / "space_separated.txt")
    assert table.delimiter == " "
    assert list(table.frame.columns) == [
        "CustomerID", "Plan", "TenureMonths", "MonthlyCharges", "SupportCalls", "Churn"
    ]  # fmt: skip
    assert table.frame["MonthlyCharges"].iloc[:2].tolist() == [41.78, 83.42]


def test_a_file_of_one_column_is_still_refused() -> None:
    with pytest.raises(ChurnDataError) as caught:
        read_table(b"CustomerID\nC0001\nC0002\n", name="ids.csv")
    assert [p.code for p in caught.value.problems] == ["single_column"]


def test_the_cdnow_log_without_header_reads_with_dates_ids_and_row_numbers(
    shared_data: Path,
) -> None:
    table = read_table(shared_data / "cdnow_sample" / "CDNOW_sample.txt", max_mb=None)
    frame = table.frame
    assert frame.shape == (6919, 5)
    assert list(frame.columns) == [f"Column {c}" for c in "ABCDE"]
    assert frame["Column A"].iloc[0] == "00004"  # ids keep their zeros
    assert str(frame["Column C"].dtype) == "datetime64[ns]"
    assert frame["Column C"].min() == pd.Timestamp("1997-01-01")
    assert frame["Column E"].iloc[0] == 29.33
    assert [w.code for w in table.warnings] == ["no_header", "number_dates"]
    assert str(table.warnings[0]) == (
        'CDNOW_sample.txt has no row of column names: its first row holds data (such as "00004"), '
        "so its 5 columns are called Column A to Column E. Put the column names in the first row "
        "of the file to see your own names."
    )
    assert table.warnings[1].rows == (1,)  # no header: the first data row is row 1
    assert frame.attrs["row_numbers"] == range(1, 6920)


def test_a_comma_file_without_header_reads_every_row_as_data() -> None:
    table = read_table(b"C1,2024-01-05,10.5\nC2,2024-02-01,3\nC1,2024-03-09,7\n", name="log.csv")
    assert list(table.frame.columns) == ["Column A", "Column B", "Column C"]
    assert len(table.frame) == 3
    assert table.frame["Column C"].tolist() == [10.5, 3.0, 7.0]


def test_lined_up_text_without_header_streams_in_chunks_like_it_reads(tmp_path: Path) -> None:
    from churn_core.io.reading import iter_table_chunks

    path = tmp_path / "log.txt"
    path.write_text(
        "".join(f" {i % 7:05d} 1997{1 + i % 12:02d}01  {i % 3 + 1}  9.99\n" for i in range(50))
    )
    chunks = list(iter_table_chunks(path, 20))
    whole = read_table(path).frame
    assert [len(c) for c in chunks] == [20, 20, 10]
    pd.testing.assert_frame_equal(pd.concat(chunks), whole)


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("OrderDate", [20240105, 20240105, 20240117]),  # the name says dates: one month is enough
        ("Column C", [19970101, 19970118, 19970802, 19971212]),  # values over several months
        ("day", ["20231230", "20240102", "20240102"]),  # written as text
    ],
)
def test_yyyymmdd_numbers_become_dates_when_name_or_values_make_it_clear(
    name: str, values: list[object]
) -> None:
    from churn_core.io.cleaning import clean_frame

    frame, warnings = clean_frame(pd.DataFrame({name: pd.Series(values, dtype=object)}))
    assert str(frame[name].dtype) == "datetime64[ns]"
    assert frame[name].iloc[0] == pd.Timestamp(str(values[0]))
    assert [w.code for w in warnings] == ["number_dates"]


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("Column A", list(range(20240101, 20240132))),  # a run of ids inside one month
        ("OrderID", [20240105, 20240217, 20240309]),  # named like an id: never dates
        ("AccountNumber", [19970101, 19980202, 19990303]),
        ("Column B", [15634602, 15647311, 15619304]),  # the bank's customer ids: not real days
        ("Reference", [20240101, 20240230, 20240315]),  # 30 February is no day
        ("Amount", [20240101.5, 20240201.0, 20240301.0]),  # not whole numbers
    ],
)
def test_ordinary_eight_digit_numbers_stay_numbers(name: str, values: list[float]) -> None:
    from churn_core.io.cleaning import clean_frame

    frame, warnings = clean_frame(pd.DataFrame({name: values}))
    assert pd.api.types.is_numeric_dtype(frame[name])
    assert warnings == []
