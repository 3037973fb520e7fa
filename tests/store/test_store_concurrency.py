"""Two servers on one store never both win: of two saves from the same revision exactly one
lands, the other is told to reload; a counter moved by many loses no step."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from pathlib import Path

from alignment.room_store import LocalRoomStore
from alignment.scenario import Scenario
from alignment.sql_database import Database
from alignment.sql_rooms import SqlRoomStore
from alignment.sql_store import SqlStore
from alignment.storage import ConflictError, NotFoundError, Store
from workshop_ui.library import default_scenario


def named(scenario: Scenario, title: str) -> Scenario:
    meta = scenario.metadata.model_copy(update={"name": title})
    return scenario.model_copy(update={"metadata": meta})


def two_servers(backend) -> tuple[Callable[[], Store], Callable[[], Store], list[Database]]:
    """Two stores on the same data, as two server processes would have: for a database, each
    with its own engine and connections."""
    if backend.database is None:
        return backend.store, backend.store, []
    first, second = Database(backend.database.url), Database(backend.database.url)
    return (lambda: SqlStore(first)), (lambda: SqlStore(second)), [first, second]


def together(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released at the same moment; each one's result or error."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        start.wait()
        try:
            results[index] = call()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_of_two_saves_from_the_same_revision_exactly_one_wins(backend, scenario):
    one, other, engines = two_servers(backend)
    try:
        for round_ in range(5):
            item = one().create("proposals", named(scenario, f"round {round_}"))
            key = item.key
            results = together(
                lambda key=key: one().update("proposals", key, named(scenario, "mine"), 1),
                lambda key=key: other().update("proposals", key, named(scenario, "theirs"), 1),
            )
            conflicts = [r for r in results if isinstance(r, ConflictError)]
            saved = [r for r in results if not isinstance(r, Exception)]
            assert (len(saved), len(conflicts)) == (1, 1), results
            final = one().get("proposals", item.key)
            assert final.revision == 2
            assert final.scenario.metadata.name == saved[0].scenario.metadata.name
    finally:
        for engine in engines:
            engine.dispose()


def test_of_a_save_and_a_delete_from_the_same_revision_exactly_one_wins(backend, scenario):
    one, other, engines = two_servers(backend)
    try:
        item = one().create("proposals", scenario)
        results = together(
            lambda: one().update("proposals", item.key, named(scenario, "mine"), 1),
            lambda: other().delete("proposals", item.key, 1),
        )
        [refused] = [r for r in results if isinstance(r, Exception)]
        assert isinstance(refused, ConflictError | NotFoundError), results
    finally:
        for engine in engines:
            engine.dispose()


def test_many_read_modify_write_loops_lose_no_update(backend, scenario):
    one, other, engines = two_servers(backend)
    workers, rounds = 4, 8
    try:
        created = one().create("scenarios", named(scenario, "0"))

        def count_up(make: Callable[[], Store]) -> None:
            store = make()
            for _ in range(rounds):
                while True:
                    current = store.get("scenarios", created.key)
                    count = int(current.scenario.metadata.name) + 1
                    try:
                        store.update("scenarios", created.key, named(scenario, str(count)),
                                     current.revision)  # fmt: skip
                        break
                    except ConflictError:
                        continue

        results = together(*[
            (lambda make=(one if i % 2 else other): count_up(make)) for i in range(workers)
        ])  # fmt: skip
        assert [r for r in results if r is not None] == []
        final = one().get("scenarios", created.key)
        assert final.scenario.metadata.name == str(workers * rounds)
        assert final.revision == 1 + workers * rounds
    finally:
        for engine in engines:
            engine.dispose()


def _vote_from_another_process(kind: str, where: str, code: str, key: str, person: str) -> None:
    if kind == "folder":
        rooms: LocalRoomStore | SqlRoomStore = LocalRoomStore(Path(where))
        rooms.vote(code, key, person, "for")
        return
    database = Database(where)
    try:
        SqlRoomStore(database).vote(code, key, person, "for")
    finally:
        database.dispose()


def test_votes_from_several_processes_are_all_kept(backend):
    scenario = default_scenario()
    rooms = backend.rooms
    code = rooms.open_room("A", scenario).code
    key = rooms.items(code).create("proposals", scenario).key
    people = [f"{i:032x}" for i in range(1, 4)]
    for person in people:
        rooms.join(code, person, f"P{person[-1]}", "sales")
    before = rooms.version(code)
    where = str(rooms.root) if isinstance(rooms, LocalRoomStore) else None
    if backend.database is not None:
        where = backend.database.url.render_as_string(hide_password=False)
    if backend.database is not None:
        backend.database.engine.dispose()  # no pooled connection is shared with a child
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_vote_from_another_process,
                        args=(backend.name, where, code, key, person))
        for person in people
    ]  # fmt: skip
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    assert [worker.exitcode for worker in workers] == [0] * len(people)
    assert rooms.tallies(code)[key].count("sales", "for") == len(people)
    assert rooms.version(code) == before + len(people)
