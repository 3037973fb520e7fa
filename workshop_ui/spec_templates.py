"""Chart specs kept per shape, so a rerun fills a kept spec with new rows instead of building the
Altair chart and turning it into a spec again (the larger part of drawing a small chart).

A shape is everything in a spec but its rows (and whatever the caller sets after filling): the
caller names it. The specs are shared by every session of the process, so each use gets a copy.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict


class KeptSpecs:
    """The specs of the last ``size`` shapes used, safe across script threads."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._specs: OrderedDict[tuple, dict] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, shape: tuple) -> dict | None:
        """The spec kept for ``shape``, or None."""
        with self._lock:
            spec = self._specs.get(shape)
            if spec is not None:
                self._specs.move_to_end(shape)
            return spec

    def keep(self, shape: tuple, spec: dict) -> dict:
        """Keep ``spec`` (rows left out) for ``shape``, dropping the least recently used."""
        with self._lock:
            self._specs[shape] = spec
            while len(self._specs) > self._size:
                self._specs.popitem(last=False)
        return spec

    @staticmethod
    def filled(spec: dict, datasets: dict[str, bytes]) -> dict:
        """A copy of a kept ``spec`` with its named datasets' rows."""
        copied = copy.deepcopy(spec)
        copied["datasets"] = datasets
        return copied
