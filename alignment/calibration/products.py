"""Which of the scenario's products each product name in the deal file is.

A file's names rarely match the scenario's exactly (``NOVA-1 Benchtop`` against ``Nova
(new)``). :func:`suggested_mapping` matches names ignoring case, spaces and punctuation, by
id, by name, or where one contains the other; the room confirms or corrects it. A product map
file (YAML) states it for the command line::

    Analyser Pro: pro
    NOVA-1 Benchtop: nova
    Service contract: null      # not a product of the scenario: its deals are left out
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import yaml

from alignment.calibration.errors import DealFileError
from alignment.scenario import Scenario

MAX_MAP_BYTES = 64 * 1024
MAX_MAP_ENTRIES = 2_000
Mapping_ = dict[str, str | None]
_NOT_LETTERS = re.compile(r"[^0-9a-z]+")


def _key(text: str) -> str:
    return _NOT_LETTERS.sub("", str(text).casefold())


def suggested_mapping(file_names: Iterable[str], scenario: Scenario) -> Mapping_:
    """For each file name, the scenario product id it most likely is, or None.

    Exact matches (id or name) first, then containment; a product is suggested for at most
    one file name, so two SKUs never both land on the same product unasked.
    """
    names = list(file_names)
    targets = [(p.id, _key(p.id), _key(p.name)) for p in scenario.products]
    mapping: Mapping_ = dict.fromkeys(names)
    taken: set[str] = set()
    for exact in (True, False):
        for name in names:
            if mapping[name] is not None:
                continue
            key = _key(name)
            for pid, id_key, name_key in targets:
                if pid in taken or not key:
                    continue
                if exact:
                    hit = key in (id_key, name_key)
                else:
                    hit = bool(id_key) and (id_key in key or key in name_key or name_key in key)
                if hit:
                    mapping[name] = pid
                    taken.add(pid)
                    break
    return mapping


def mapping_problems(mapping: Mapping[str, str | None], scenario: Scenario) -> list[str]:
    """What is wrong with a mapping: unknown product ids, one line each."""
    known = set(scenario.product_ids)
    return [
        f'"{name}": {pid!r} is not a product of the scenario; use one of '
        f"{', '.join(sorted(known))}, or null to leave its deals out"
        for name, pid in mapping.items()
        if pid is not None and pid not in known
    ]


def read_product_map(raw: bytes, source: str = "product map") -> Mapping_:
    """A YAML product map (file name → product id or null), checked for shape."""
    if len(raw) > MAX_MAP_BYTES:
        raise DealFileError(
            [f"the product map is over {MAX_MAP_BYTES // 1024} KB; it needs one line per "
             "product name"],
            source,
        )  # fmt: skip
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        where = getattr(error, "problem_mark", None)
        line = f"line {where.line + 1}: " if where is not None else ""
        raise DealFileError(
            [f"{line}not a YAML mapping of product names to ids; write one 'Name: id' per line"],
            source,
        ) from None  # fmt: skip
    if not isinstance(data, dict) or len(data) > MAX_MAP_ENTRIES:
        raise DealFileError(
            ["the product map must be a mapping of file product names to scenario product "
             "ids, one 'Name: id' per line"],
            source,
        )  # fmt: skip
    problems = []
    mapping: Mapping_ = {}
    for name, pid in data.items():
        if not isinstance(name, str | int | float) or not (pid is None or isinstance(pid, str)):
            problems.append(f"{str(name)[:60]!r}: map a product name to a product id or null")
            continue
        mapping[str(name).strip()] = pid.strip() if isinstance(pid, str) else None
    if problems:
        raise DealFileError(problems, source)
    return mapping


def completed(
    mapping: Mapping[str, str | None], file_names: Iterable[str], scenario: Scenario
) -> Mapping_:
    """``mapping`` for every file name: names it does not mention get the suggestion."""
    suggestion = suggested_mapping(file_names, scenario)
    return {name: mapping.get(name, pid) for name, pid in suggestion.items()}
