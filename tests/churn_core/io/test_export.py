"""Exported at-risk lists open safely in a spreadsheet: text stays text, numbers stay numbers."""

from __future__ import annotations

import inspect
import io
from datetime import datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from churn_core import columns
from churn_core.columns import (
    AT_RISK_COLUMNS,
    CHURN_PROBABILITY,
    CUSTOMER_VALUE,
    EXPECTED_VALUE_AT_RISK,
    RISK_BANDS,
)
from churn_core.io.export import (
    ABOUT_SHEET,
    FORMULA_PREFIXES,
    MAX_COLUMN_WIDTH,
    MAX_EXCEL_ROWS,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    at_risk_filename,
    format_money,
    get_money_format,
    neutralise_formulas,
    to_csv_bytes,
    to_handover_xlsx,
    to_xlsx_bytes,
)

BOM = b"\xef\xbb\xbf"
PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


def at_risk_list() -> pd.DataFrame:
    """A small at-risk list with one hostile cell per formula prefix and a hostile column name."""
    return pd.DataFrame(
        {
            "customerID": ["7590-VHVEG", '=HYPERLINK("http://x")', "+1 555", "@SUM(A1)"],
            columns.RANK: [1, 2, 3, 4],
            CHURN_PROBABILITY: [0.812345678, 0.5, 0.250061, 0.01],
            columns.RISK_BAND: ["High", "Medium", "Medium", "Low"],
            EXPECTED_VALUE_AT_RISK: [1234.5678, -12.345, 0.0, 1_000_000.004],
            CUSTOMER_VALUE: [1520.0, 24.69, 3.333, 100_000_000.0],
            columns.SEGMENT: ["Loyal", None, "\tTabbed", "-5"],
            columns.TOP_REASON_1: ["Contract is Month-to-month (+12 pts)", "\rcmd", "ok", None],
            "=cmd": [-1, 2, -3, 4],
        }
    )


# --- neutralise_formulas --------------------------------------------------------------------


def test_the_prefixes_neutralised_are_the_owasp_list() -> None:
    assert set(FORMULA_PREFIXES) == set(PREFIXES)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_formula_prefix_is_neutralised_in_cells(prefix: str) -> None:
    frame = pd.DataFrame({"note": [f"{prefix}cmd|' /C calc'!A0", "plain"]})
    assert neutralise_formulas(frame)["note"].tolist() == [f"'{prefix}cmd|' /C calc'!A0", "plain"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_formula_prefix_is_neutralised_in_column_names(prefix: str) -> None:
    frame = pd.DataFrame({f"{prefix}cmd": [1], "plain": [2]})
    assert neutralise_formulas(frame).columns.tolist() == [f"'{prefix}cmd", "plain"]


def test_numbers_negative_numbers_and_plain_text_are_untouched() -> None:
    frame = pd.DataFrame(
        {
            "int": [-1, 2, -3],
            "float": [-0.5, 1.25, np.nan],
            "nullable": pd.array([-7, None, 3], dtype="Int64"),
            "text": ["Yes", "a=b", "x-1"],
            "flag": [True, False, True],
        }
    )
    result = neutralise_formulas(frame)
    pd.testing.assert_frame_equal(result, frame)


def test_missing_values_stay_missing_in_every_kind_of_text_column() -> None:
    frame = pd.DataFrame(
        {
            "object": ["=a", None, np.nan, "b"],
            "string": pd.array(["=a", None, "c", "-d"], dtype="string"),
            "mixed": ["=a", -5, np.nan, 2.5],
        }
    )
    result = neutralise_formulas(frame)
    assert result["object"].tolist()[0] == "'=a"
    assert result["object"].isna().tolist() == [False, True, True, False]
    assert result["string"].dtype == "string"
    assert result["string"].tolist()[0::3] == ["'=a", "'-d"]
    assert result["string"].isna().tolist() == [False, True, False, False]
    assert result["mixed"].tolist()[:2] == ["'=a", -5]
    assert result["mixed"].isna().tolist() == [False, False, True, False]


def test_categorical_text_is_neutralised_and_stays_categorical() -> None:
    frame = pd.DataFrame({"segment": pd.Categorical(["=bad", "good", "=bad", None])})
    result = neutralise_formulas(frame)["segment"]
    assert isinstance(result.dtype, pd.CategoricalDtype)
    assert result.tolist()[:3] == ["'=bad", "good", "'=bad"]
    assert result.isna().tolist() == [False, False, False, True]


def test_neutralising_returns_a_copy_and_leaves_the_input_alone() -> None:
    frame = at_risk_list()
    before = frame.copy()
    result = neutralise_formulas(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert result["customerID"].tolist()[1] == '\'=HYPERLINK("http://x")'


def test_duplicate_index_labels_and_column_names_keep_their_places() -> None:
    frame = pd.DataFrame([["=a", "b"], ["c", "+d"]], columns=["x", "x"], index=[7, 7])
    result = neutralise_formulas(frame)
    assert result.to_numpy().tolist() == [["'=a", "b"], ["c", "'+d"]]
    assert result.index.tolist() == [7, 7]


def test_a_200k_row_frame_neutralises() -> None:
    rows = 200_000
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "id": np.arange(rows).astype(str),
            "note": rng.choice(["=cmd", "fine", "-3", None, "@x"], size=rows),
            "value": rng.normal(size=rows),
        }
    )
    result = neutralise_formulas(frame)
    quoted = frame["note"].isin(["=cmd", "-3", "@x"])
    assert result["note"][quoted].str.startswith("'").all()
    assert (result["note"][~quoted].fillna("") == frame["note"][~quoted].fillna("")).all()
    assert result["value"].equals(frame["value"])


# --- CSV ------------------------------------------------------------------------------------


def test_csv_starts_with_the_utf8_bom_and_uses_newline_line_endings() -> None:
    data = to_csv_bytes(pd.DataFrame({"name": ["Zoë", "José"], "n": [1, 2]}))
    assert data.startswith(BOM)
    assert b"\r" not in data
    assert data[len(BOM) :].decode("utf-8") == "name,n\nZoë,1\nJosé,2\n"


def with_line_feeds(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as exported: a carriage return inside a text cell becomes a line feed."""
    return frame.replace("\r", "\n", regex=True)


def assert_same_table(back: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Equal cells and names, whatever the dtype or the spelling of missing (None / NaN)."""
    missing_as_none = [f.astype(object).where(f.notna(), None) for f in (back, expected)]
    pd.testing.assert_frame_equal(*missing_as_none, check_dtype=False)


def test_csv_read_back_equals_the_neutralised_frame_rounded() -> None:
    frame = at_risk_list()
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), encoding="utf-8-sig")
    rounded = frame.round({CHURN_PROBABILITY: 4, EXPECTED_VALUE_AT_RISK: 2, CUSTOMER_VALUE: 2})
    assert_same_table(back, with_line_feeds(neutralise_formulas(rounded)))
    assert back[CHURN_PROBABILITY].tolist() == [0.8123, 0.5, 0.2501, 0.01]


def test_csv_writes_no_more_than_the_chosen_decimals() -> None:
    frame = pd.DataFrame({CHURN_PROBABILITY: [0.123456], "other": [0.123456]})
    assert to_csv_bytes(frame).endswith(b"\n0.1235,0.123456\n")
    assert to_csv_bytes(frame, decimals={"other": 1}).endswith(b"\n0.123456,0.1\n")


def test_csv_text_cells_and_headers_cannot_start_with_a_formula_character() -> None:
    frame = at_risk_list()
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), encoding="utf-8-sig", dtype=str)
    text_columns = frame.select_dtypes(object).columns
    cells = [*back.columns, *back[text_columns].stack().tolist()]
    assert [cell for cell in cells if cell.startswith(tuple(PREFIXES))] == []


def test_a_carriage_return_inside_a_cell_cannot_split_a_csv_row() -> None:
    frame = pd.DataFrame({"note": ["one\rtwo", "three\r\nfour", "\r"], "n": [1, 2, 3]})
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), encoding="utf-8-sig")
    assert back["note"].tolist() == ["one\ntwo", "three\nfour", "'\n"]
    assert back["n"].tolist() == [1, 2, 3]


# --- Excel ----------------------------------------------------------------------------------


def read_xlsx(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data))["At-risk customers"]


def test_xlsx_has_no_formula_cells_even_for_hostile_text() -> None:
    frame = pd.DataFrame({f"{p}head": [f"{p}1+1", "=1+1", "x"] for p in PREFIXES})
    sheet = read_xlsx(to_xlsx_bytes(frame))
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert len(cells) == 4 * len(PREFIXES)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert sheet["A1"].value == "'=head"
    assert sheet["A2"].value == "'=1+1"


def test_xlsx_header_row_is_bold_and_frozen() -> None:
    sheet = read_xlsx(to_xlsx_bytes(at_risk_list()))
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])


def test_xlsx_shows_probability_as_percent_and_money_with_thousands_separators() -> None:
    frame = at_risk_list()
    sheet = read_xlsx(to_xlsx_bytes(frame))
    header = [cell.value for cell in sheet[1]]
    by_name = {name: header.index(name) for name in header}
    for row in sheet.iter_rows(min_row=2):
        assert row[by_name[CHURN_PROBABILITY]].number_format == PERCENT_FORMAT
        assert row[by_name[EXPECTED_VALUE_AT_RISK]].number_format == MONEY_FORMAT
        assert row[by_name[CUSTOMER_VALUE]].number_format == MONEY_FORMAT
        assert row[by_name[columns.RANK]].number_format == "General"


def test_xlsx_values_equal_the_neutralised_frame() -> None:
    frame = at_risk_list()
    sheet = read_xlsx(to_xlsx_bytes(frame))
    rows = list(sheet.iter_rows(values_only=True))
    expected = with_line_feeds(neutralise_formulas(frame))
    assert list(rows[0]) == expected.columns.tolist()
    assert_same_table(pd.DataFrame(rows[1:], columns=rows[0]), expected)


def test_xlsx_column_widths_fit_the_content_and_are_capped() -> None:
    frame = pd.DataFrame({"id": ["a"], "long": ["x" * 300], CUSTOMER_VALUE: [1_234_567.891]})
    sheet = read_xlsx(to_xlsx_bytes(frame))
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths[0] < 10
    assert widths[1] == MAX_COLUMN_WIDTH
    assert widths[2] >= len("1,234,567.89")


def test_xlsx_drops_control_characters_excel_cannot_hold() -> None:
    frame = pd.DataFrame({"note\x01": ["bell\x07here", "tab\tkept", None, 3]})
    sheet = read_xlsx(to_xlsx_bytes(frame))
    assert [cell.value for cell in sheet["A"]] == ["note", "bellhere", "tab\tkept", None, 3]


def test_xlsx_refuses_more_rows_than_a_sheet_holds_and_suggests_csv() -> None:
    frame = pd.DataFrame({"id": np.zeros(MAX_EXCEL_ROWS + 1, dtype=np.int8)})
    with pytest.raises(ValueError, match=r"1,048,576 rows; .* Download it as CSV instead"):
        to_xlsx_bytes(frame)


# --- names ----------------------------------------------------------------------------------


def test_at_risk_columns_match_the_design_order_exactly() -> None:
    # docs/architecture.md, "The at-risk list".
    assert AT_RISK_COLUMNS == (
        "rank",
        "churn_probability",
        "risk_band",
        "expected_value_at_risk",
        "customer_value",
        "segment",
        "top_reason_1",
        "top_reason_2",
        "top_reason_3",
        "recommended_action",
    )


def test_risk_bands_run_from_high_to_low_and_rows_without_id_use_row() -> None:
    assert RISK_BANDS == ("High", "Medium", "Low")
    assert columns.ROW_NUMBER_ID == "row"


def test_filename_names_the_dataset_and_the_date() -> None:
    when = datetime(2026, 11, 22, 23, 59)
    assert (
        at_risk_filename("sample_customers", "csv", when)
        == "at_risk_customers_sample_customers_2026-11-22.csv"
    )
    assert (
        at_risk_filename("Télécom churn (Q3).XLSX", ".xlsx", when)
        == "at_risk_customers_telecom_churn_q3_2026-11-22.xlsx"
    )
    assert at_risk_filename("../../", "csv", when) == "at_risk_customers_2026-11-22.csv"


def test_filename_date_is_taken_when_called_not_at_import() -> None:
    assert inspect.signature(at_risk_filename).parameters["when"].default is None
    before = datetime.now().strftime("%Y-%m-%d")
    name = at_risk_filename("x", "csv")
    after = datetime.now().strftime("%Y-%m-%d")
    assert name in {f"at_risk_customers_x_{before}.csv", f"at_risk_customers_x_{after}.csv"}


def test_filename_extension_must_be_letters_and_digits() -> None:
    with pytest.raises(ValueError, match=r'extension must be .* Got "c/sv"\.'):
        at_risk_filename("x", "c/sv")


@pytest.mark.parametrize(
    ("currency", "number_format", "shown"),
    [
        (None, "#,##0.00", "1,234,568"),
        ("", "#,##0.00", "1,234,568"),
        ("EUR", '"€"#,##0.00', "€1,234,568"),
        ("usd", '"$"#,##0.00', "$1,234,568"),
        ("CHF", '#,##0.00 "CHF"', "1,234,568 CHF"),
        ("kr", '#,##0.00 "KR"', "1,234,568 KR"),
    ],
)
def test_money_shows_the_currency_only_when_one_is_set(
    currency: str | None, number_format: str, shown: str
) -> None:
    assert get_money_format(currency) == number_format
    assert format_money(1_234_567.8, currency) == shown


def test_the_handover_workbook_renames_only_the_lists_columns_and_makes_every_cell_safe() -> None:
    frame = pd.DataFrame(
        {
            "AccountNo": ["=1+1", "B"],
            "rank": [1, 2],
            "churn_probability": [0.5, 0.25],
            "customer_value": [1000.0, np.nan],
            "Plan": ["Gold", "@SUM(A1)"],
        }
    )
    about = [("Data", "=HYPERLINK(evil)"), ("Made", "2026-03-02")]
    book = openpyxl.load_workbook(io.BytesIO(to_handover_xlsx(frame, about, currency="GBP")))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "AccountNo",
        "Rank",
        "Churn probability",
        "Customer value (GBP)",
        "Plan",
    ]
    assert sheet["A2"].value == "'=1+1" and sheet["E3"].value == "'@SUM(A1)"
    assert sheet["C2"].number_format == "0.0%" and sheet["D2"].number_format == '"£"#,##0.00'
    assert sheet["A2"].number_format == "General" and sheet["D3"].value is None
    assert list(book[ABOUT_SHEET].iter_rows(values_only=True)) == [
        ("About this list", "Details"),
        ("Data", "'=HYPERLINK(evil)"),
        ("Made", "2026-03-02"),
    ]
    assert sheet.freeze_panes == "A2" and book[ABOUT_SHEET]["A1"].font.bold
