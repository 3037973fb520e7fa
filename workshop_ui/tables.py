"""Tables for people: formatted, with colour only where it carries meaning."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from workshop_ui.formatting import Kind, format_value

CANNIBALISATION = "background-color: #FDE7D3"
OWN_PRICE = "background-color: #E5E7EB; font-weight: 600"
CHANGED = "background-color: #FEF3C7; font-weight: 600"


def cross_elasticity_styler(table: pd.DataFrame) -> Styler:
    """Own-price elasticities (diagonal) in grey, cannibalisation (positive cells) in orange."""

    def colour(frame: pd.DataFrame) -> pd.DataFrame:
        styles = pd.DataFrame("", index=frame.index, columns=frame.columns)
        styles[frame > 0] = CANNIBALISATION
        for i in range(min(frame.shape)):
            styles.iloc[i, i] = OWN_PRICE
        return styles

    return table.style.format("{:+.2f}").apply(colour, axis=None)


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


__all__ = ["Kind", "comparison_styler", "cross_elasticity_styler", "formatted"]
