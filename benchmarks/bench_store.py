"""How long listing a room's proposals takes with 10, 1,000 and 10,000 of them, in each store.

    .venv/bin/python benchmarks/bench_store.py                       # all sizes, all stores
    .venv/bin/python benchmarks/bench_store.py --sizes 10 1000 --stores sqlite postgres

For each store (the data folder, SQLite, PostgreSQL) and size, the proposals are written as
the store writes them (the shipped example under distinct keys), then the listing every page
view makes is timed twice:

- **first**: in a process that has parsed none of them yet (a server just started);
- **next**: the median of the following listings, as every rerun of the Compromise or Room
  page makes them.

PostgreSQL is ``ALIGNMENT_TEST_DATABASE_URL`` if set, else a throwaway cluster started from
Debian's binaries (as the tests do); without either its rows say why they were skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from alignment import sql_store, storage  # noqa: E402
from alignment.scenario_io import load_scenario  # noqa: E402
from alignment.sql_database import Database, upgrade  # noqa: E402
from alignment.sql_schema import items  # noqa: E402
from alignment.storage import LocalFolderStore, StoredScenario  # noqa: E402
from alignment.storage_format import checked_scenario_data, item_bytes  # noqa: E402

SCENARIO = ROOT / "scenarios" / "launch_conflict.yaml"
STORES = ("folder", "sqlite", "postgres")


def keys(count: int) -> list[str]:
    return [f"20260101-{i // 1_000_000:06d}-{i % 1_000_000:06x}" for i in range(count)]


def proposal_bytes() -> tuple[bytes, str, str]:
    """The example as a stored proposal: the folder's YAML file, and the database's JSON."""
    data, scenario = checked_scenario_data(load_scenario(SCENARIO))
    stored = StoredScenario("20260101-000000-000000", scenario, 1, datetime.now(UTC))
    return item_bytes(stored, data), json.dumps(data), scenario.metadata.name


def fill_folder(root: Path, count: int) -> Callable[[], int]:
    document, _, _ = proposal_bytes()
    folder = root / "proposals"
    folder.mkdir(parents=True)
    for key in keys(count):
        (folder / f"{key}.yaml").write_bytes(document)
    store = LocalFolderStore(root)
    return lambda: len(store.listing("proposals").items)


def fill_database(database: Database, count: int) -> Callable[[], int]:
    document, data, name = proposal_bytes()
    now = datetime.now(UTC)
    rows = [
        {"room": "default", "kind": "proposals", "key": key, "revision": 1, "name": name,
         "author": "", "role": "sales", "created_at": now, "updated_at": now,
         "document": document, "data": data}
        for key in keys(count)
    ]  # fmt: skip
    with database.writing("store the proposals") as connection:
        for start in range(0, len(rows), 1000):
            connection.execute(insert(items), rows[start : start + 1000])
    store = sql_store.SqlStore(database)
    return lambda: len(store.listing("proposals").items)


def forget_parsed() -> None:
    """As in a server process just started: nothing parsed yet."""
    storage._CACHE.clear()
    sql_store._PARSED.clear()


def time_listing(listing: Callable[[], int], count: int, repeats: int) -> tuple[float, float]:
    forget_parsed()
    started = time.perf_counter()
    assert listing() == count
    first = time.perf_counter() - started
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        assert listing() == count
        times.append(time.perf_counter() - started)
    return first, statistics.median(times)


@contextlib.contextmanager
def postgres_server() -> Iterator[Callable[[], contextlib.AbstractContextManager[str]]]:
    """A way to get an empty migrated PostgreSQL database, or an exception saying why not."""
    sys.path.insert(0, str(ROOT))
    from tests import postgres_fixture as pg

    url = os.environ.get(pg.URL_ENV, "").strip()
    if url:
        yield lambda: pg._external(url).database(migrated=True)
        return
    initdb = pg._initdb()
    if initdb is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    with pg.throwaway_cluster(initdb) as server:
        yield lambda: server.database(migrated=True)


@contextlib.contextmanager
def store_of(
    kind: str, count: int, postgres: Callable[[], contextlib.AbstractContextManager[str]] | None
) -> Iterator[Callable[[], int]]:
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        if kind == "folder":
            yield fill_folder(Path(folder), count)
            return
        if kind == "sqlite":
            database = Database(f"sqlite:///{folder}/workshop.db")
            upgrade(database)
            try:
                yield fill_database(database, count)
            finally:
                database.dispose()
            return
        assert postgres is not None
        with postgres() as url:
            database = Database(url)
            try:
                yield fill_database(database, count)
            finally:
                database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1_000, 10_000])
    parser.add_argument("--stores", nargs="+", choices=STORES, default=list(STORES))
    parser.add_argument("--repeats", type=int, default=5, help="listings after the first")
    args = parser.parse_args()

    print(f"{'store':<10} {'proposals':>9} {'first listing':>14} {'next listings':>14}")
    with contextlib.ExitStack() as stack:
        postgres = None
        if "postgres" in args.stores:
            try:
                postgres = stack.enter_context(postgres_server())
            except BaseException as error:  # pytest's skip is a BaseException
                print(f"{'postgres':<10} skipped: {str(error)[:200]}")
        for kind in args.stores:
            if kind == "postgres" and postgres is None:
                continue
            for count in args.sizes:
                with store_of(kind, count, postgres) as listing:
                    repeats = args.repeats if count <= 1_000 or kind != "folder" else 1
                    first, following = time_listing(listing, count, repeats)
                print(f"{kind:<10} {count:>9,} {first:>12.3f} s {following:>12.3f} s", flush=True)


if __name__ == "__main__":
    main()
