"""Tables for people: formatted, with colour only where it carries meaning."""

from __future__ import annotations

from html import escape

import pandas as pd
from pandas.io.formats.style import Styler

from workshop_ui.formatting import Kind, format_value

CANNIBALISATION = "background-color: #FDE7D3"
OWN_PRICE = "background-color: #E5E7EB; font-weight: 600"
CHANGED = "background-color: #FEF3C7; font-weight: 600"


_TABLE_STYLE = """
<style>
.elasticities { overflow-x: auto; }
.elasticities table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.elasticities th, .elasticities td { padding: 0.3rem 0.7rem; border: 1px solid #E5E7EB; }
.elasticities th { font-weight: 600; text-align: left; }
.elasticities td { text-align: right; }
</style>
"""


def cross_elasticity_html(table: pd.DataFrame, caption: str) -> str:
    """The elasticity matrix as a plain table: own-price elasticities (diagonal) in grey,
    cannibalisation (positive cells) in orange. A static table, not an interactive one: a
    price move redraws it, and a styled interactive table cost more than the page's charts."""
    header = "".join(f"<th scope='col'>{escape(str(name))}</th>" for name in table.columns)
    rows = []
    for i, (name, values) in enumerate(zip(table.index, table.to_numpy(), strict=True)):
        cells = []
        for j, value in enumerate(values):
            style = OWN_PRICE if i == j else CANNIBALISATION if value > 0 else ""
            cells.append(f"<td style='{style}'>{value:+.2f}</td>" if style else
                         f"<td>{value:+.2f}</td>")  # fmt: skip
        rows.append(f"<tr><th scope='row'>{escape(str(name))}</th>{''.join(cells)}</tr>")
    return (
        f"{_TABLE_STYLE}<div class='elasticities'><table aria-label='{escape(caption)}'>"
        f"<thead><tr><td></td>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def comparison_styler(table: pd.DataFrame, columns: tuple[str, str]) -> Styler:
    """Highlight the rows where the two compared ``columns`` differ."""

    def colour(row: pd.Series) -> list[str]:
        differs = row[columns[0]] != row[columns[1]]
        return [CHANGED if differs else ""] * len(row)

    return table.style.apply(colour, axis=1)


def formatted(values: pd.Series, kinds: pd.Series) -> pd.Series:
    """Each value as text in the format of its kind (money, fraction, units, ...)."""
    return pd.Series(
        [format_value(float(v), k) for v, k in zip(values, kinds, strict=True)],
        index=values.index,
    )


__all__ = ["Kind", "comparison_styler", "cross_elasticity_html", "formatted"]
