"""A deal-history file that cannot be used, with one line per problem naming row and column."""

from __future__ import annotations

MAX_PROBLEMS = 20


class DealFileError(ValueError):
    """A deal file refused at the boundary; ``problems`` holds one readable line each.

    Every line says where (``row 14, column "UnitPrice" (C)``), what is wrong and the fix.
    """

    def __init__(self, problems: list[str], source: str = "deal file") -> None:
        self.problems = problems
        self.source = source
        super().__init__(f"{source}: " + "; ".join(problems))


def capped(problems: list[str], total: int | None = None) -> list[str]:
    """At most :data:`MAX_PROBLEMS` lines, the last saying how many more there were."""
    total = len(problems) if total is None else total
    if total <= MAX_PROBLEMS:
        return problems
    return [*problems[:MAX_PROBLEMS], f"… and {total - MAX_PROBLEMS:,} more problems"]
