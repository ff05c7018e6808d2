"""Text columns holding numbers and dates: converted, and every change reported."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.errors import DataWarning
from churn_core.io.cleaning import clean_frame

CHECK = "Nothing to do; check a few values on the Data page look right."


def clean(values: list[object], name: str = "x") -> tuple[pd.Series, list[DataWarning]]:
    frame, warnings = clean_frame(pd.DataFrame({name: pd.Series(values, dtype=object)}))
    return frame[name], warnings


def messages(warnings: list[DataWarning]) -> list[str]:
    return [str(w) for w in warnings]


# --- Numbers. ---


@pytest.mark.parametrize(
    ("values", "numbers", "removed"),
    [
        (["1.234,50", "12,00", "0,5"], [1234.5, 12.0, 0.5], "decimal commas (1.234,5 = 1234.5)"),
        (["1,234.50", "12,000", "7"], [1234.5, 12000.0, 7.0], "thousands separators"),
        (["1'234.50", "2'000", "3"], [1234.5, 2000.0, 3.0], "thousands separators"),
        (["(12.50)", "4.00", "-3"], [-12.5, 4.0, -3.0], "brackets for negative numbers"),
        (["12%", "7.5%", "0%"], [12.0, 7.5, 0.0], "percent signs (12% is read as 12)"),
        (["$29.99", "£5", "¥300"], [29.99, 5.0, 300.0], "currency symbols"),
        (["$1,234.50", "$89.90"], [1234.5, 89.9], "currency symbols and thousands separators"),
    ],
)
def test_numbers_written_as_text_become_numbers_and_say_what_was_removed(
    values: list[object], numbers: list[float], removed: str
) -> None:
    series, warnings = clean(values, "Spend")
    assert list(series) == numbers
    assert series.dtype == "float64"
    assert messages(warnings) == [
        f"Spend holds numbers written as text; removed {removed} and read them as numbers. {CHECK}"
    ]
    assert warnings[0].code == "numbers_as_text" and warnings[0].rows == (2,)


def test_plain_numbers_as_text_convert_quietly() -> None:
    series, warnings = clean(["1", "2.5", "-3", "−4"])
    assert list(series) == [1.0, 2.5, -3.0, -4.0]
    assert warnings == []


def test_euro_amounts_with_decimal_commas_keep_their_value() -> None:
    series, _ = clean(["€1.234,50", "€12,00", "€7,99"])
    assert list(series) == [1234.5, 12.0, 7.99]


def test_french_amounts_with_spaces_and_decimal_commas_keep_their_value() -> None:
    series, _ = clean(["1 234,50", "2 000,00", "10 500,75"])
    assert list(series) == [1234.5, 2000.0, 10500.75]


def test_decimal_commas_win_when_some_values_cannot_be_thousands() -> None:
    series, _ = clean(["1,500", "29,99", "12,50"])
    assert list(series) == [1.5, 29.99, 12.5]


def test_a_comma_that_is_not_a_thousands_separator_is_never_dropped_silently() -> None:
    series, warnings = clean(["1,234.50", "2,5"] + [f"{i}.00" for i in range(40)])
    assert np.isnan(series.iloc[1]) or series.iloc[1] == 2.5
    assert any('"2,5"' in str(w) for w in warnings)


def test_blank_looking_cells_become_missing_and_are_listed() -> None:
    series, warnings = clean(["1.5", "2", " ", "  ", "4"], "Total")
    assert series.isna().tolist() == [False, False, True, True, False]
    assert messages(warnings) == [
        "Total has 2 blank cells holding only spaces (rows 4 and 5); they are treated as "
        "missing. Leave cells truly empty in the export if the value is unknown."
    ]
    assert warnings[0].code == "blank_strings"


def test_a_few_words_among_numbers_are_listed_with_their_rows() -> None:
    values: list[object] = [f"{i}.5" for i in range(40)]
    values[3], values[20] = "unknown", "tbc"
    series, warnings = clean(values, "Bill")
    assert series.isna().sum() == 2
    assert messages(warnings) == [
        'Bill is a number column but 2 cells hold text, e.g. row 5: "unknown", row 22: "tbc"; '
        "they are treated as missing. Replace those cells with a number, or leave them empty if "
        "unknown."
    ]
    assert warnings[0].rows == (5, 22)


def test_one_word_among_numbers_is_reported_in_the_singular() -> None:
    values: list[object] = [f"{i}.5" for i in range(40)]
    values[3] = "unknown"
    _, warnings = clean(values, "Bill")
    assert str(warnings[0]).startswith("Bill is a number column but 1 cell holds text, e.g. row 5")


def test_codes_among_numbers_keep_the_column_as_text() -> None:
    values: list[object] = [str(536365 + i) for i in range(60)]
    values[7] = "C537893"
    series, warnings = clean(values, "InvoiceNo")
    assert list(series) == values
    assert warnings == []


def test_many_words_keep_the_column_as_text() -> None:
    values = ["1", "2", "3", "none", "some", "lots", "4", "5"]
    series, warnings = clean(values)
    assert list(series) == values
    assert warnings == []


def test_numbers_with_leading_zeros_are_codes_and_stay_text() -> None:
    series, _ = clean(["0012", "0034", "0100"])
    assert list(series) == ["0012", "0034", "0100"]


# --- Dates. ---


def ymd(series: pd.Series) -> list[str]:
    return list(series.dt.strftime("%Y-%m-%d"))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2023-01-15", "2023-12-01"], ["2023-01-15", "2023-12-01"]),
        (["25/12/2023", "01/02/2023"], ["2023-12-25", "2023-02-01"]),
        (["12/25/2023", "01/02/2023"], ["2023-12-25", "2023-01-02"]),
        (["25.12.2023", "01.02.2023"], ["2023-12-25", "2023-02-01"]),
        (["Jan 5, 2023", "Feb 10, 2023"], ["2023-01-05", "2023-02-10"]),
    ],
    ids=["iso", "day-first", "month-first", "dotted", "month-names"],
)
def test_dates_in_one_format_are_read_quietly(values: list[object], expected: list[str]) -> None:
    series, warnings = clean(values)
    assert ymd(series) == expected
    assert warnings == []


def test_one_unambiguous_date_decides_the_order_for_the_whole_column() -> None:
    series, _ = clean(["03/04/2023", "12/25/2023", "05/06/2023"])
    assert ymd(series) == ["2023-03-04", "2023-12-25", "2023-05-06"]


def test_mixed_date_formats_are_all_read_and_named_in_a_warning() -> None:
    series, warnings = clean(["2023-01-15", "15/03/2023", "2023-02-01"], "Joined")
    assert ymd(series) == ["2023-01-15", "2023-03-15", "2023-02-01"]
    assert messages(warnings) == [
        'Joined mixes date formats: 2 rows like "2023-01-15" (year-month-day) and 1 row like '
        '"15/03/2023" (day/month/year); all were read as dates. Check rows 2 and 3 mean what '
        "you expect, and use one date format (such as 2024-01-31) in the export."
    ]
    assert warnings[0].code == "mixed_date_formats"


def test_an_impossible_date_is_missing_and_listed() -> None:
    values: list[object] = ["2023-03-01"] * 30
    values[4] = "2023-13-45"
    series, warnings = clean(values, "Joined")
    assert series.isna().tolist() == [i == 4 for i in range(30)]
    assert messages(warnings) == [
        'Joined is a date column but 1 cell could not be read as dates, e.g. row 6: "2023-13-45"; '
        "they are treated as missing. Correct those cells or leave them empty if unknown."
    ]


def test_dates_that_could_be_day_or_month_first_are_flagged() -> None:
    _, warnings = clean(["03/04/2023", "05/06/2023", "07/08/2023"], "Joined")
    assert [w.column for w in warnings] == ["Joined"]


def test_short_and_long_month_names_are_one_format() -> None:
    _, warnings = clean(["5 Jan 2023", "10 February 2023"])
    assert warnings == []


# --- Text and the frame as a whole. ---


def test_text_keeps_its_values_and_blank_looking_cells_become_missing() -> None:
    series, warnings = clean(["Gold", " Silver ", "   ", None])
    assert series.iloc[:2].tolist() == ["Gold", "Silver"]
    assert series.iloc[2:].isna().all()
    assert warnings == []


def test_formula_like_cells_are_kept_and_flagged() -> None:
    series, warnings = clean(["=1+1", "@home", "plain"], "Ref")
    assert series.tolist() == ["=1+1", "@home", "plain"]
    assert messages(warnings) == [
        "Ref has 2 cells starting with = or @ (rows 2 and 3); spreadsheets could run them as "
        "formulas. Nothing to do: they are kept as plain text, and every download from this app "
        "neutralises them."
    ]


def test_long_text_is_kept_whole_and_flagged_at_its_longest_row() -> None:
    series, warnings = clean(["short", "y" * 501, "z" * 600], "Notes")
    assert series.str.len().tolist() == [5, 501, 600]
    assert messages(warnings) == [
        "Notes has very long text (up to 600 characters, row 4); long free text is shown "
        "shortened and not used by the model."
    ]


def test_number_date_and_bool_columns_are_left_alone_and_the_input_is_not_changed() -> None:
    frame = pd.DataFrame(
        {
            "n": [1, 2],
            "f": [1.5, np.nan],
            "d": pd.to_datetime(["2023-01-01", "2023-01-02"]),
            "b": [True, False],
            "t": ["$1", "$2"],
        }
    )
    before = frame.copy()
    out, _ = clean_frame(frame)
    pd.testing.assert_frame_equal(frame, before)
    pd.testing.assert_frame_equal(out.drop(columns="t"), frame.drop(columns="t"))
    assert out["t"].tolist() == [1.0, 2.0]


def test_nothing_is_lost_silently_every_cell_is_kept_converted_or_reported() -> None:
    """Across awkward columns: a non-blank cell that ends up missing is always in a warning."""
    frame = pd.DataFrame(
        {
            "money": ["$1,234.50", "$2", " ", "n.a."] + [f"${i}.00" for i in range(36)],
            "codes": ["C1"] + [str(i) for i in range(39)],
            "dates": ["2023-01-01", "31/12/2023", "someday"] + ["2023-02-02"] * 37,
            "text": ["Gold", "Silver", " ", "Bronze"] * 10,
        },
        dtype=object,
    )
    out, warnings = clean_frame(frame)
    for column in frame.columns:
        raw = frame[column].astype(str).str.strip()
        lost = out[column].isna() & raw.ne("")
        listed = {row for w in warnings if w.column == column for row in w.rows}
        assert {pos + 2 for pos in np.flatnonzero(lost)} <= listed, column
