"""How many plans one person may put on the table, and how many a room holds.

Each browser may save :data:`PER_MINUTE` proposals in any minute, and a room holds at most
:data:`PER_ROOM`: one participant saving in a loop is refused with what to do, and the table
every screen lists stays a size a page can show.
"""

from __future__ import annotations

from alignment.storage import ItemStore, StorageError
from alignment.throttle import Throttle
from workshop_ui import access

PER_MINUTE = 10
PER_ROOM = 500
SAVES = Throttle(PER_MINUTE, 60.0)


def refusal(store: ItemStore) -> str | None:
    """Why this browser may not save another proposal now; None when it may (and it counts)."""
    try:
        on_table = len(store.listing("proposals").items)
    except StorageError:
        on_table = 0  # the save itself will say what is wrong with the store
    if on_table >= PER_ROOM:
        return (
            f"the room already has {on_table} proposals on the table, the most it holds; the "
            "facilitator can delete the ones nobody backs, then save again"
        )
    wait = SAVES.allow(access.session_key())
    if wait is not None:
        return (
            f"you have saved {PER_MINUTE} proposals in the last minute; wait "
            f"{access.wait_text(wait)} and save again"
        )
    return None
