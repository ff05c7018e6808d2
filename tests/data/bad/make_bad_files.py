"""Rebuild the bad-file corpus: ``python tests/data/bad/make_bad_files.py``.

Each file is a small, realistic version of something a customer export really does wrong (or
just differently). The files are committed as bytes; this script only documents how they were
made. What each file must produce is catalogued in ``tests/churn_core/io/test_reading.py``.
The two big files (a >50 MB CSV, a 500-column table) are built by the tests in a temporary
folder and never committed.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLANS = ("Basic", "Standard", "Premium")
REASONS = ("Price", "Moved away", "Competitor offer", "Poor service")


def customers(n: int = 80, seed: int = 1) -> list[dict[str, object]]:
    """``n`` plausible customers; every 10th, 4th and 7th of ten churned (30 %)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        churned = i % 10 in (3, 6, 9)
        rows.append(
            {
                "CustomerID": f"C{i + 1:04d}",
                "Plan": PLANS[rng.randrange(3)],
                "TenureMonths": rng.randint(1, 72),
                "MonthlyCharges": round(rng.uniform(15, 120), 2),
                "SupportCalls": rng.randint(0, 6),
                "Churn": "Yes" if churned else "No",
            }
        )
    return rows


def to_csv(
    rows: Sequence[dict[str, object]],
    columns: Sequence[str] | None = None,
    *,
    delimiter: str = ",",
    line_end: str = "\n",
) -> str:
    columns = list(columns or rows[0])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def png_1x1() -> bytes:
    """A real one-pixel PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_minimal() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def xlsx(sheets: dict[str, Sequence[dict[str, object]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        columns = list(rows[0])
        sheet.append(columns)
        for row in rows:
            sheet.append([row[c] for c in columns])
    book.properties.created = dt.datetime(2024, 1, 1)
    saved = io.BytesIO()
    book.save(saved)
    # Re-zip with a fixed timestamp so the same workbook gives the same bytes every time.
    out = io.BytesIO()
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped,
    ):
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps "modified" with now
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data
                )
            zipped.writestr(fixed, data)
    return out.getvalue()


def with_column(
    rows: list[dict[str, object]], name: str, value: Callable[[int, dict[str, object]], object]
) -> list[dict[str, object]]:
    """Insert ``name`` just before Churn, valued by ``value(position, row)``."""
    out = []
    for i, row in enumerate(rows):
        new = {k: v for k, v in row.items() if k != "Churn"}
        new[name] = value(i, row)
        new["Churn"] = row["Churn"]
        out.append(new)
    return out


def build() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    small = customers(6)

    # Not a table at all.
    files["empty.csv"] = b""
    files["whitespace_only.csv"] = b"   \n\t\n  \r\n"
    files["header_only.csv"] = b"CustomerID,Plan,MonthlyCharges,Churn\n"
    files["png_renamed.csv"] = png_1x1()
    files["pdf_renamed.csv"] = pdf_minimal()
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0) as handle:
        handle.write(to_csv(small).encode())
    files["customers.csv.gz"] = gz.getvalue()
    files["space_separated.txt"] = to_csv(small, delimiter=" ").encode()

    # Excel workbooks.
    files["xlsx_renamed.csv"] = xlsx({"Customers": small})
    files["two_sheets.xlsx"] = xlsx({"Customers": small, "Archive": customers(4, seed=2)})
    files["truncated_workbook.xlsx"] = files["two_sheets.xlsx"][:2000]  # a broken download
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        info = zipfile.ZipInfo("customers.csv", date_time=(2024, 1, 1, 0, 0, 0))
        archive.writestr(info, to_csv(small))
    files["customers_export.zip"] = zipped.getvalue()

    # Encodings and separators.
    euro = [{**r, "MonthlyCharges": f"{r['MonthlyCharges']:.2f}".replace(".", ",")} for r in small]
    for r, total in zip(
        euro, ("1.234,50", "89,90", "12.000,00", "450,25", "3.210,75", "77,00"), strict=True
    ):
        r["TotalCharges"] = total
    files["semicolon_decimal_comma.csv"] = to_csv(
        euro, ["CustomerID", "Plan", "MonthlyCharges", "TotalCharges", "Churn"], delimiter=";"
    ).encode()
    cities = ("Orléans", "München", "A Coruña", "Zürich", "Málaga", "Köln")
    accented = [{**r, "City": c} for r, c in zip(small, cities, strict=True)]
    files["latin1_accents.csv"] = to_csv(accented).encode("cp1252")
    files["utf8_bom.csv"] = b"\xef\xbb\xbf" + to_csv(small).encode()
    files["utf16_unicode_text.txt"] = to_csv(accented, delimiter="\t", line_end="\r\n").encode(
        "utf-16"
    )  # what Excel's "Unicode Text (*.txt)" writes: UTF-16LE + BOM, tabs

    # Header trouble.
    files["duplicate_column_names.csv"] = (
        b"CustomerID,Charges,Plan,Charges,Churn\n"
        b"C0001,29.99,Basic,359.88,No\nC0002,49.50,Standard,99.00,Yes\n"
        b"C0003,89.00,Premium,1068.00,No\n"
    )
    files["blank_column_name.csv"] = (
        b"CustomerID,,Plan,MonthlyCharges,Churn\n"
        b"C0001,1,Basic,29.99,No\nC0002,2,Standard,49.50,Yes\nC0003,3,Premium,89.00,No\n"
    )

    # Numbers and dates written as text.
    money = ("$1,234.50", "$89.90", "$12,000.00", "$450.25", "$3,210.75", "$77.00")
    pct = ("12%", "0%", "7.5%", "25%", "3%", "10%")
    files["currency_and_percent.csv"] = to_csv(
        [
            {"CustomerID": r["CustomerID"], "TotalSpend": m, "Discount": p, "Churn": r["Churn"]}
            for r, m, p in zip(small, money, pct, strict=True)
        ]
    ).encode()
    spaced = with_column(
        customers(12), "TotalCharges", lambda i, r: " " if i in (2, 7) else f"{i * 123.4:.2f}"
    )
    files["blank_spaces_in_numbers.csv"] = to_csv(spaced).encode()
    words = {4: "n/a", 31: "unknown"}
    worded = with_column(
        customers(60), "LastBill", lambda i, r: words.get(i, f"{r['MonthlyCharges']:.2f}")
    )
    files["words_in_numbers.csv"] = to_csv(worded).encode()
    coded = with_column(
        customers(12), "LastInvoice", lambda i, r: "C537893" if i == 5 else str(536365 + i)
    )
    files["codes_among_numbers.csv"] = to_csv(coded).encode()
    files["leading_zero_ids.csv"] = (
        b"AccountNo,Plan,MonthlyCharges,Churn\n"
        b"000123,Basic,29.99,No\n004567,Standard,49.50,Yes\n012345,Premium,89.00,No\n"
    )
    files["region_codes.csv"] = (
        b"CustomerID,Region,MonthlyCharges,Churn\n"
        b"C0001,NA,29.99,No\nC0002,EU,49.50,Yes\nC0003,APAC,89.00,No\nC0004,NA,19.00,No\n"
    )
    dates = ("2023-01-15", "2023-02-03", "15/03/2023", "28/04/2023", "2023-05-30", "2023-06-11")
    files["mixed_date_formats.csv"] = to_csv(
        with_column(small, "SignupDate", lambda i, r: dates[i])
    ).encode()

    # Cells that need care.
    note = (
        "Customer called three times about a billing error on the March invoice. "
        "Agent promised a credit that was never applied; customer asked for a supervisor. "
    ) * 7
    notes = ("", "Asked about upgrade", note.strip(), "", "Happy", "Moved house")
    files["long_text.csv"] = to_csv(with_column(small, "Notes", lambda i, r: notes[i])).encode()
    refs = ('=HYPERLINK("http://x.example")', "Friend", "@campaign_spring", "", "Web", "Web")
    files["formula_cells.csv"] = to_csv(
        with_column(small, "ReferralSource", lambda i, r: refs[i])
    ).encode()

    # Rows of the wrong length and line-ending trouble.
    files["ragged_rows.csv"] = (
        b"CustomerID,Plan,City,MonthlyCharges,Churn\n"
        b"C0001,Basic,Leeds,29.99,No\n"
        b"C0002,Standard,Washington, DC,49.50,Yes\n"
        b"C0003,Premium,York,89.00,No\n"
        b"C0004,Basic,Paris, France,19.00,No\n"
        b"C0005,Basic,Leeds,29.99,No\n"
        b"C0006,Basic,Portland, Oregon, USA,39.99,Yes\n"
    )
    files["short_rows.csv"] = (
        b"CustomerID,Plan,MonthlyCharges,Churn\n"
        b"C0001,Basic,29.99,No\nC0002,Standard\nC0003,Premium,89.00,No\nC0004,Basic,19.00\n"
    )
    files["multiline_cell_then_ragged.csv"] = (
        b"CustomerID,Notes,MonthlyCharges,Churn\n"
        b'C0001,"Called twice\nabout billing",29.99,No\n'
        b"C0002,Fine,49.50,Yes,extra\n"
    )
    files["blank_line_inside.csv"] = (
        b"CustomerID,Plan,MonthlyCharges,Churn\n"
        b"C0001,Basic,29.99,No\n\nC0002,Standard,unknown,Yes\nC0003,Premium,89.00,No\n"
        + b"".join(b"C%04d,Basic,%d.00,No\n" % (i, 20 + i) for i in range(4, 40))
        + b"C0040,Basic,tbc,Yes\n"
    )
    files["trailing_blank_lines.csv"] = to_csv(small).encode() + b"\n\n\n"
    files["crlf_line_endings.csv"] = to_csv(small, line_end="\r\n").encode()
    files["trailing_delimiter.csv"] = "".join(
        line + ",\n" for line in to_csv(small).splitlines()
    ).encode()

    # Profile-level trouble: roles, labels, leaks.
    many = customers(80)
    files["no_label.csv"] = to_csv(
        [{k: v for k, v in r.items() if k != "Churn"} for r in many]
    ).encode()
    files["label_three_values.csv"] = to_csv(
        [{**r, "Churn": "Maybe"} if i in (40, 55, 71) else r for i, r in enumerate(many)]
    ).encode()
    files["label_one_class.csv"] = to_csv([{**r, "Churn": "No"} for r in many]).encode()
    files["duplicate_ids.csv"] = to_csv(
        [{**r, "CustomerID": "C0007"} if i == 40 else r for i, r in enumerate(many)]
    ).encode()
    files["email_column.csv"] = to_csv(
        with_column(many, "Email", lambda i, r: f"{str(r['CustomerID']).lower()}@example.com")
    ).encode()
    reasons = with_column(
        many,
        "CancellationReason",
        lambda i, r: REASONS[i % 4] if r["Churn"] == "Yes" else "",
    )
    files["leak_cancellation_reason.csv"] = to_csv(reasons).encode()
    days = with_column(
        many, "DaysSinceCancel", lambda i, r: (i * 7) % 300 + 1 if r["Churn"] == "Yes" else ""
    )
    files["leak_days_since_cancel.csv"] = to_csv(days).encode()
    client_numbers = random.Random(3).sample(range(708_082_083, 828_343_083), len(many))
    attrited = [
        {
            "CLIENTNUM": client_numbers[i],
            "Attrition_Flag": "Attrited Customer" if r["Churn"] == "Yes" else "Existing Customer",
            "Customer_Age": 30 + (i * 7) % 35,
            "Credit_Limit": r["MonthlyCharges"] * 100,
            "Total_Trans_Ct": 20 + (i * 13) % 90,
        }
        for i, r in enumerate(many)
    ]
    files["attrited_customer.csv"] = to_csv(attrited).encode()
    files["is_active_yes_no.csv"] = to_csv(
        [
            {
                **{k: v for k, v in r.items() if k != "Churn"},
                "IsActive": "No" if r["Churn"] == "Yes" else "Yes",
            }
            for r in many
        ]
    ).encode()
    return files


def main() -> None:
    for name, data in build().items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
