"""Which column of a CRM export is which: header names, their synonyms, and where they are.

Headers are matched ignoring case, spaces and punctuation, so ``Product2.Name``, ``product
name`` and ``PRODUCT_NAME`` are all the product. Every column the estimate needs is named by
its canonical name (:data:`FIELDS`); messages name the file's own header and its spreadsheet
letter, e.g. ``column "UnitPrice" (C)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from alignment.calibration.errors import DealFileError

# Canonical name → the normalised headers that mean it (first: the canonical name itself).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "product": (
        "product", "productname", "product2name", "item", "itemname", "sku", "skuname",
        "productcode", "product2productcode", "offering", "article", "lineitem",
    ),
    "list_price": (
        "listprice", "list", "listunitprice", "msrp", "catalogprice", "catalogueprice",
        "pricelist", "standardprice", "pricebookprice", "pricebookentryunitprice",
    ),
    "price": (
        "price", "unitprice", "salesprice", "netprice", "netunitprice", "quotedprice",
        "pricequoted", "quoteprice", "dealprice", "sellingprice", "saleprice",
        "transactionprice", "actualprice", "finalprice", "offerprice",
    ),
    "discount": (
        "discount", "discountpct", "discountpercent", "discountpercentage", "discountrate",
        "disc", "discountfraction", "pctdiscount", "percentdiscount",
    ),
    "quantity": ("quantity", "qty", "units", "unitcount", "seats", "volume"),
    "won": (
        "won", "iswon", "outcome", "result", "winloss", "wonlost", "winlose", "status",
        "dealstatus", "opportunitystatus", "closedwon", "win",
    ),
    "stage": ("stage", "stagename", "dealstage", "opportunitystage", "salesstage", "phase"),
    "close_date": (
        "closedate", "date", "closed", "closedon", "dateclosed", "closingdate", "decisiondate",
        "orderdate", "quotedate", "closedat", "closetime",
    ),
    "rep": (
        "rep", "owner", "ownername", "salesrep", "repname", "accountexecutive", "ae", "seller",
        "opportunityowner", "salesperson", "salesowner", "accountowner",
    ),
    "competitor": (
        "competitor", "competitors", "competition", "primarycompetitor", "competitorname",
        "maincompetitor", "competitornamed", "versus", "vs",
    ),
}  # fmt: skip
FIELDS = tuple(SYNONYMS)
# What each field holds, for messages and the docs.
DESCRIPTIONS = {
    "product": "the product sold on the line",
    "list_price": "the list price per unit",
    "price": "the price quoted per unit",
    "discount": "the discount off list, as a fraction (0.15) or a percentage (15 or 15 %)",
    "quantity": "units on the line (optional)",
    "won": "whether the deal was won: true/false, 1/0, yes/no, Won/Lost or a closed stage",
    "stage": "the deal's stage; Closed Won and Closed Lost decide it, open stages are skipped",
    "close_date": "when the deal closed (optional; gives the period effects)",
    "rep": "who owned the deal (optional)",
    "competitor": "the competitor named on the deal, blank for none (optional)",
}
_LOOKUP = {alias: field for field, aliases in SYNONYMS.items() for alias in aliases}
_NOT_LETTERS = re.compile(r"[^0-9a-z]+")


def normalised(header: str) -> str:
    """``"Product2.Name "`` → ``"product2name"``: lower case, letters and digits only."""
    return _NOT_LETTERS.sub("", str(header).casefold())


def column_letter(index: int) -> str:
    """Spreadsheet letters for a 0-based column index: 0 → ``A``, 27 → ``AB``."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass(frozen=True)
class Column:
    """One recognised column: its canonical field, the file's header and its position."""

    field: str
    header: str
    index: int  # 0-based

    @property
    def where(self) -> str:
        """How messages name it: ``column "UnitPrice" (C)``."""
        shown = self.header if len(self.header) <= 40 else self.header[:39] + "…"
        return f'column "{shown}" ({column_letter(self.index)})'


def recognised_columns(headers: Sequence[str], source: str) -> dict[str, Column]:
    """The columns of ``headers`` that mean something to the estimate, by canonical field.

    Raises
    ------
    DealFileError
        If two columns mean the same field, or the product, the outcome or the price relative
        to list cannot be found; the message lists the headers that are accepted.
    """
    found: dict[str, Column] = {}
    problems = []
    for index, header in enumerate(headers):
        field = _LOOKUP.get(normalised(header))
        if field is None:
            continue
        column = Column(field, str(header).strip(), index)
        if field in found:
            problems.append(
                f"{found[field].where} and {column.where} both look like {field}; rename or "
                "delete one of them"
            )
            continue
        found[field] = column
    problems += _missing(found)
    if problems:
        raise DealFileError(problems, source)
    return found


def _missing(found: dict[str, Column]) -> list[str]:
    problems = []
    if "product" not in found:
        problems.append(_need("product"))
    if "won" not in found and "stage" not in found:
        problems.append(
            "no column says whether each deal was won; add one named won (true/false, Won/"
            f"Lost), e.g. {_examples('won')}, or a stage column ({_examples('stage')})"
        )
    pricing = {"list_price", "price", "discount"} & set(found)
    if len(pricing) < 2:
        have = ", ".join(sorted(pricing)) or "none of them"
        problems.append(
            "the price relative to list needs two of list_price, price and discount (found "
            f"{have}); add the missing column, e.g. {_examples('list_price')} or "
            f"{_examples('price')}"
        )
    return problems


def _need(field: str) -> str:
    return f"no {field} column ({DESCRIPTIONS[field]}); add one named e.g. {_examples(field)}"


def _examples(field: str) -> str:
    shown = {
        "product": "Product or Product2.Name",
        "list_price": "ListPrice or List Price",
        "price": "UnitPrice or Sales Price",
        "won": "IsWon or Won",
        "stage": "StageName",
    }
    return shown.get(field, field)
