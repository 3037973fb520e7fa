"""Reading deal files: CRM shapes, encodings, separators and dates; bad files refused by row
and column, never with a traceback."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from alignment.calibration import DealFileError, read_deals
from alignment.calibration.columns import column_letter, normalised
from alignment.calibration.reading import MAX_ROWS

HEADER = "Product,ListPrice,UnitPrice,Quantity,IsWon,CloseDate\n"
ROWS = [
    "Nova,650,600,2,true,2024-01-15",
    "Nova,650,585.5,1,false,2024-02-03",
    "Analyser Pro,1350,1200,1,1,2024-03-31",
    "Analyser Pro,1350,1300,3,0,2024-04-02",
]


def csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def refusal(raw: bytes) -> list[str]:
    with pytest.raises(DealFileError) as caught:
        read_deals(raw, "deals.csv")
    return caught.value.problems


def test_salesforce_headers_are_recognised_whatever_their_case_and_punctuation():
    raw = csv(
        *ROWS,
        header="Product2.Name,List Price,Unit Price,QTY,Is Won,Close Date,Owner.Name\n",
    )
    deals = read_deals(raw.replace(b"\n", b",Rep A\n").replace(b"Rep A\n", b"\n", 1))
    assert len(deals.frame) == 4
    assert deals.frame["won"].tolist() == [True, False, True, False]
    assert deals.frame["relative_price"].iloc[0] == pytest.approx(600 / 650)


def test_headers_are_matched_ignoring_case_spaces_and_dots():
    assert normalised(" Product2.Name ") == "product2name"
    assert column_letter(0) == "A" and column_letter(27) == "AB"


def test_a_file_without_an_outcome_column_is_refused_with_the_names_accepted():
    (problem,) = refusal(b"Product,ListPrice,UnitPrice\nNova,650,600\n")
    assert "won" in problem and "IsWon" in problem


def test_missing_price_columns_are_named():
    problems = refusal(b"Product,IsWon\nNova,true\n")
    assert any("list_price" in p and "price" in p for p in problems)


def test_text_in_a_price_is_refused_naming_row_and_column():
    (problem,) = refusal(csv(ROWS[0], "Nova,650,call us,1,true,2024-01-20"))
    assert problem.startswith('row 3, column "UnitPrice" (C): "call us" is not a number')
    assert "write the price as a number" in problem


def test_a_negative_quantity_is_refused_as_a_return_not_a_deal():
    (problem,) = refusal(csv(ROWS[0], "Nova,650,600,-2,false,2024-01-20"))
    assert problem.startswith('row 3, column "Quantity" (D)')
    assert "negative" in problem and "delete the row" in problem


def test_an_unreadable_outcome_is_refused_with_the_accepted_spellings():
    (problem,) = refusal(csv(ROWS[0], "Nova,650,600,1,maybe,2024-01-20"))
    assert 'row 3, column "IsWon" (E): "maybe"' in problem and "Won/Lost" in problem


def test_many_bad_cells_are_capped_with_a_count_of_the_rest():
    bad = [f"Nova,650,oops,1,true,2024-01-{day:02d}" for day in range(1, 29)]
    problems = refusal(csv(*bad))
    assert len(problems) == 21 and problems[-1] == "… and 8 more problems"


def test_open_deals_and_blank_lines_are_skipped_and_counted():
    raw = (
        b"Product,ListPrice,UnitPrice,StageName\n"
        b"Nova,650,600,Closed Won\n\nNova,650,610,Negotiation/Review\nNova,650,640,Closed Lost\n"
    )
    deals = read_deals(raw)
    assert len(deals.frame) == 2 and deals.open_skipped == 1
    assert deals.frame["row"].tolist() == [2, 5]


def test_dates_in_three_formats_are_read_in_one_column():
    raw = csv(
        "Nova,650,600,1,true,2024-01-15",
        "Nova,650,600,1,false,31.01.2024",
        "Nova,650,600,1,true,02/28/2024",
        "Nova,650,600,1,true,Mar 5 2024",
    )
    deals = read_deals(raw)
    assert [f"{d:%Y-%m-%d}" for d in deals.frame["close_date"]] == [
        "2024-01-15", "2024-01-31", "2024-02-28", "2024-03-05",
    ]  # fmt: skip


def test_a_column_mixing_day_first_and_month_first_dates_is_refused():
    problems = refusal(csv("Nova,650,600,1,true,31/01/2024", "Nova,650,600,1,false,01/31/2024"))
    assert any("day-first" in p and "2024-03-31" in p for p in problems)


def test_a_date_that_does_not_exist_is_refused_by_row():
    (problem,) = refusal(csv(ROWS[0], "Nova,650,600,1,true,2024-02-31"))
    assert problem.startswith('row 3, column "CloseDate" (F): "2024-02-31" is not a date')


def test_semicolon_separated_with_decimal_commas_is_read():
    raw = (
        "Produkt;Listenpreis;Preis;Menge;Won;Date\n"
        "Nova;1.650,00;1.485,50;2;Won;15.01.2024\n"
        "Nova;1.650,00;1.600,00;1;Lost;03.02.2024\n"
    )
    header = "Product;ListPrice;UnitPrice;Quantity;Won;CloseDate\n"
    deals = read_deals((header + raw.split("\n", 1)[1]).encode("cp1252"))
    assert deals.frame["price"].tolist() == [1485.5, 1600.0]
    assert deals.frame["list_price"].tolist() == [1650.0, 1650.0]


def test_percent_discounts_and_list_prices_give_the_price():
    raw = b"Product,List Price,Discount,Won\nNova,650,10 %,yes\nNova,650,0%,no\n"
    deals = read_deals(raw)
    assert deals.frame["price"].tolist() == pytest.approx([585.0, 650.0])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "cp1252"])
def test_utf16_and_other_encodings_are_read(encoding):
    text = HEADER + "Növa,650,600,1,true,2024-01-15\nNöva,650,640,1,false,2024-01-16\n"
    deals = read_deals(text.encode(encoding))
    assert deals.product_names == ["Növa"]


def test_a_60_mb_file_is_refused_before_it_is_parsed():
    (problem,) = refusal(b"x" * (60 * 1024 * 1024))
    assert "60.0 MB" in problem and "at most 50 MB" in problem


def test_too_many_rows_are_refused_before_parsing():
    raw = HEADER.encode() + b"\n" * (MAX_ROWS + 5)
    (problem,) = refusal(raw)
    assert "500,000" in problem


def test_binary_and_old_excel_files_are_refused_with_the_fix():
    assert "old-style Excel" in refusal(b"\xd0\xcf\x11\xe0rest")[0]
    assert "binary data" in refusal(b"Product,IsWon\x00\x01\x02 and more bytes here")[0]


def test_an_excel_workbook_is_read_from_its_first_sheet():
    book = Workbook()
    sheet = book.active
    sheet.append(["Product", "List Price", "Sales Price", "Won", "Close Date"])
    sheet.append(["Nova", 650, 600, True, __import__("datetime").datetime(2024, 1, 15)])
    sheet.append(["Nova", 650, "n/a", False, __import__("datetime").datetime(2024, 1, 16)])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(DealFileError) as caught:
        read_deals(buffer.getvalue(), "deals.xlsx")
    assert caught.value.problems == [
        'row 3, column "Sales Price" (C): "n/a" is not a number; write the price as a number '
        "such as 1080.50"
    ]
    sheet["C3"] = 640
    buffer = io.BytesIO()
    book.save(buffer)
    deals = read_deals(buffer.getvalue(), "deals.xlsx")
    assert deals.frame["price"].tolist() == [600.0, 640.0]
    assert f"{deals.frame['close_date'].iloc[0]:%Y-%m-%d}" == "2024-01-15"


def test_two_columns_meaning_the_same_field_are_refused():
    (problem,) = refusal(b"Product,Price,Sales Price,List,Won\nNova,1,2,3,yes\n")
    assert '"Price" (B)' in problem and '"Sales Price" (C)' in problem
