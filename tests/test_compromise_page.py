"""The Compromise page through Streamlit's AppTest: proposals, the search, the deal, locks and
hosted mode, each against a workshop store of its own.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from streamlit.testing.v1 import AppTest

from alignment import Plans, compromise, load_scenario
from alignment.compromise import Constraints, lever_matrix
from alignment.levers import with_values
from alignment.storage import LocalFolderStore
from workshop_ui import compromise_view as view
from workshop_ui.formatting import money

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages" / "7_Compromise.py")
TIMEOUT = 120
PASSCODE = "lantern-42"


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch) -> LocalFolderStore:
    """A workshop store of this test's own, found by the page through ALIGNMENT_DATA_DIR."""
    folder = tmp_path / "workshop_data"
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(folder))
    monkeypatch.delenv("ALIGNMENT_FACILITATOR_PASSCODE", raising=False)
    return LocalFolderStore(folder)


@pytest.fixture
def searches(monkeypatch) -> list[dict]:
    """Every search the page really runs (cache misses), by the locks it ran with."""
    calls: list[dict] = []
    real = compromise.search

    def spy(*args, **kwargs):
        calls.append(kwargs.get("locks") or {})
        return real(*args, **kwargs)

    monkeypatch.setattr(compromise, "search", spy)
    view.cached_search.clear()
    return calls


def open_page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()


def working(app: AppTest):
    return app.session_state["working_scenario"]


def plan_levers(scenario) -> np.ndarray:
    return lever_matrix(Plans.from_scenario(scenario))[0]


def shown_text(app: AppTest) -> str:
    """Every Markdown, caption and alert on the page as the reader sees it."""
    parts = [e.value for e in (*app.markdown, *app.caption, *app.success, *app.warning,
                                *app.error, *app.info)]  # fmt: skip
    return "\n".join(parts).replace("\u2060", "").replace("\\", "")


def table_with(app: AppTest, column: str):
    """The first table on the page with this column (tables carry no key in AppTest)."""
    return next(t.value for t in (*app.dataframe, *app.table) if column in t.value.columns)


def suggested_deal(app: AppTest):
    """The Nash deal the page suggests, read from the cached search the page ran."""
    request = app.session_state["compromise_request"]
    result = view.bargained(request, Constraints(), 0.5)
    return result, result.nash


def open_with(scenario) -> AppTest:
    """The page with ``scenario`` loaded as the status quo and the working scenario."""
    app = open_page()
    app.session_state["status_quo_scenario"] = scenario
    app.session_state["working_scenario"] = scenario
    return app.run()


def propose(app: AppTest, title: str, author: str = "Dana", role: str = "leadership",
            rationale: str = "Win share fast.") -> AppTest:  # fmt: skip
    app.text_input(key="proposal_title").input(title)
    app.text_input(key="proposal_author").input(author)
    app.selectbox(key="proposal_role").select(role)
    app.text_area(key="proposal_rationale").input(rationale)
    return app.button(key="proposal_save").click().run()


# --- Rendering and proposals ------------------------------------------------------------------


def test_the_page_renders_and_suggests_a_deal_on_the_first_visit():
    app = open_page()

    assert not app.exception, app.exception
    assert app.title[0].value == "Compromise"
    assert "Nash bargaining deal" in shown_text(app)
    assert app.button(key="deal_adopt").label == "Adopt this deal"
    assert [m.label for m in app.metric][:3] == [
        "Leadership's value", "Reps' earnings less effort", "Rep motivation",
    ]  # fmt: skip
    assert app.radio(key="rep_utility").value == "rep_utility"


def test_the_page_states_leaderships_exchange_rate_for_strategic_share(launch):
    reason = "Each Nova placed sells cartridges for years."
    scenario = with_values(launch, {"goals.strategic_value.nova": 640.0,
                                    "goals.strategic_value_reason": reason})  # fmt: skip
    segment = scenario.segments[0].size

    app = open_with(scenario)

    assert not app.exception, app.exception
    point = money(640.0 * segment / 100)
    assert (
        f"Leadership values one point of Nova (new) share at {point} per period beyond its "
        f"margin (goals: strategic value $640 per unit — {reason})."
    ) in shown_text(app)


def test_without_a_strategic_value_the_page_says_leadership_counts_only_contribution(launch):
    app = open_with(with_values(launch, {"goals.strategic_value": {}}))

    stated = "Leadership counts only contribution: no strategic value is stated"
    assert f"{stated} (set it on the Goals page)." in shown_text(app)


def test_goals_marked_hard_are_shown_as_limits_and_every_deal_meets_them(launch):
    target = launch.goals.contribution.target
    app = open_with(with_values(launch, {"goals.contribution.hard": True}))

    assert not app.exception, app.exception
    assert f"From the goals: Contribution ≥ {money(target)}" in shown_text(app).replace("*", "")
    result = view.bargained(app.session_state["compromise_request"], Constraints(), 0.5)
    assert result.goal_constraints == Constraints(min_contribution=target)
    for deal in result.deals:
        assert result.outcomes.contribution[deal.index] >= target


def test_saving_the_working_scenario_as_a_proposal_stores_and_lists_it(store):
    app = propose(open_page(), "Nova at 650, kicker 25", "Dana", "sales", "Reps need margin.")

    assert not app.exception, app.exception
    (saved,) = store.list("proposals")
    meta = saved.scenario.metadata
    assert (meta.name, meta.author, meta.role, meta.notes) == (
        "Nova at 650, kicker 25", "Dana", "sales", "Reps need margin.",
    )  # fmt: skip
    assert_allclose(plan_levers(saved.scenario), plan_levers(working(app)))
    assert app.text_input(key="proposal_title").value == ""  # ready for the next one
    listed = table_with(app, "Rationale")
    assert list(listed["Title"]) == ["Nova at 650, kicker 25"]
    assert "On the table (1)" in [s.value for s in app.subheader]


def test_a_double_click_on_save_stores_the_proposal_once(store):
    app = propose(open_page(), "Nova at 650", "Dana", "sales", "Reps need margin.")
    # The second click of a double click arrives with the form as it was before the first
    # click's answer emptied it.
    app = propose(app, "Nova at 650", "Dana", "sales", "Reps need margin.")

    assert not app.exception, app.exception
    assert len(store.list("proposals")) == 1
    assert any("Saved the proposal" in s.value for s in app.success)


def test_one_browser_saving_proposals_in_a_loop_is_refused_with_how_long_to_wait(
    store, monkeypatch
):
    from alignment.throttle import Throttle
    from workshop_ui import proposal_limits

    monkeypatch.setattr(proposal_limits, "SAVES", Throttle(proposal_limits.PER_MINUTE, 600.0))
    app = open_page()
    for number in range(proposal_limits.PER_MINUTE + 1):
        app = propose(app, f"Plan {number}")
    assert not app.exception, app.exception
    assert len(store.list("proposals")) == proposal_limits.PER_MINUTE
    assert f"you have saved {proposal_limits.PER_MINUTE} proposals in the last minute" in (
        shown_text(app)
    )


def test_a_full_room_table_refuses_another_proposal_and_says_what_to_do(store, monkeypatch):
    from workshop_ui import proposal_limits

    monkeypatch.setattr(proposal_limits, "PER_ROOM", 2)
    app = open_page()
    for number in range(3):
        app = propose(app, f"Plan {number}")
    assert len(store.list("proposals")) == 2
    assert "the facilitator can delete the ones nobody backs" in shown_text(app)


def test_a_proposal_without_a_title_is_refused_naming_the_field(store):
    app = propose(open_page(), "   ")

    assert store.list("proposals") == []
    assert "metadata.name" in shown_text(app)


def test_a_proposal_title_is_shown_exactly_as_typed():
    title = "**Bold** [click](javascript:alert(1)) :red[x] $x$"
    app = propose(open_page(), title)

    (success,) = app.success
    assert title in shown_text(app)
    assert "**Bold**" not in success.value  # escaped, so Markdown cannot act on it


def test_picking_proposals_compares_them_with_the_status_quo(store, launch):
    cheap = with_values(launch, {"products.nova.price": 540.0, "metadata.name": "Cheap Nova",
                                 "metadata.role": "leadership"})  # fmt: skip
    dear = with_values(launch, {"products.nova.price": 720.0, "metadata.name": "Dear Nova",
                                "metadata.role": "sales"})  # fmt: skip
    keys = [store.create("proposals", s).key for s in (cheap, dear)]
    app = open_page()

    app.multiselect(key="proposal_compare").set_value(keys).run()

    assert not app.exception, app.exception
    table = table_with(app, "Status quo")
    assert list(table.columns) == ["", "Status quo", "Cheap Nova", "Dear Nova"]
    assert table.iloc[0, 0] == "Leadership's value (per period)"
    nova = table[table[""] == "Nova (new) price"].iloc[0]
    assert (nova["Status quo"], nova["Cheap Nova"], nova["Dear Nova"]) == ("$600", "$540", "$720")
    text = shown_text(app)
    assert "From **Cheap Nova**:" in text and "From **Dear Nova**:" in text
    assert "of value per period" in text


# --- Overwriting and deleting proposals -------------------------------------------------------


def saved_proposal(store, launch, name="Leadership's plan"):
    return store.create("proposals", with_values(launch, {"metadata.name": name}))


def test_deleting_a_proposal_waits_for_confirmation(store, launch):
    saved_proposal(store, launch)
    app = open_page()

    app.button(key="proposal_delete").click().run()
    assert len(store.list("proposals")) == 1
    assert "cannot be undone" in shown_text(app)

    app.button(key="proposal_confirm").click().run()
    assert store.list("proposals") == []
    assert not app.exception, app.exception


def test_overwriting_a_proposal_someone_saved_since_keeps_their_version(store, launch):
    item = saved_proposal(store, launch)
    app = open_page()
    app.number_input(key="constraint_margin").set_value(10.0).run()  # a rerun: still opened
    theirs = with_values(item.scenario, {"products.nova.price": 777.0})
    store.update("proposals", item.key, theirs, item.revision)

    app.button(key="proposal_overwrite").click().run()
    app.button(key="proposal_confirm").click().run()

    assert "someone saved this proposal since you opened it" in shown_text(app).lower()
    assert store.get("proposals", item.key).scenario.product("nova").price == 777.0
    app.button(key="proposal_save_as_new").click().run()
    assert len(store.list("proposals")) == 2
    assert not app.exception, app.exception


def test_overwriting_a_proposal_replaces_its_plan_and_keeps_its_words(store, launch):
    item = saved_proposal(store, launch, "Keep my words")
    app = open_page()
    app.session_state["working_scenario"] = with_values(launch, {"products.nova.price": 655.0})

    app.button(key="proposal_overwrite").click().run()
    app.button(key="proposal_confirm").click().run()

    stored = store.get("proposals", item.key)
    assert stored.revision == 2
    assert stored.scenario.product("nova").price == 655.0
    assert stored.scenario.metadata.name == "Keep my words"


def test_in_a_hosted_workshop_deleting_a_proposal_needs_the_facilitator(store, launch, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_FACILITATOR_PASSCODE", PASSCODE)
    saved_proposal(store, launch)
    app = open_page()

    app.button(key="proposal_delete").click().run()

    assert "Only the facilitator can delete a proposal" in shown_text(app)
    assert not any(b.key == "proposal_confirm" for b in app.button)
    assert len(store.list("proposals")) == 1


def confirmation_text(app: AppTest) -> str:
    return "\n".join(w.value for w in app.warning).replace("\u2060", "").replace("\\", "")


def ask_to_overwrite(app: AppTest, key: str, launch) -> AppTest:
    app.session_state["working_scenario"] = with_values(launch, {"products.nova.price": 655.0})
    app.selectbox(key="proposal_manage").set_value(key).run()
    return app.button(key="proposal_overwrite").click().run()


def test_the_confirmation_names_the_proposal_it_will_change(store, launch):
    saved_proposal(store, launch, "Alpha")
    bravo = saved_proposal(store, launch, "Bravo")

    app = ask_to_overwrite(open_page(), bravo.key, launch)

    assert "Replace the plan in **Bravo (" in confirmation_text(app)
    assert "Alpha" not in confirmation_text(app)


def test_an_overwrite_of_a_proposal_someone_then_deleted_touches_no_other_proposal(store, launch):
    alpha = saved_proposal(store, launch, "Alpha")
    bravo = saved_proposal(store, launch, "Bravo")
    app = ask_to_overwrite(open_page(), bravo.key, launch)
    store.delete("proposals", bravo.key, bravo.revision)  # the other facilitator

    app.run()
    if any(b.key == "proposal_confirm" for b in app.button):
        app.button(key="proposal_confirm").click().run()

    assert not app.exception, app.exception
    assert store.list("proposals") == [alpha]  # same revision, same plan
    assert "Bravo (" in shown_text(app)
    assert "was deleted by someone else; nothing was overwritten" in shown_text(app)


def test_confirming_an_overwrite_of_a_proposal_deleted_meanwhile_says_so(store, launch):
    alpha = saved_proposal(store, launch, "Alpha")
    bravo = saved_proposal(store, launch, "Bravo")
    app = ask_to_overwrite(open_page(), bravo.key, launch)
    store.delete("proposals", bravo.key, bravo.revision)  # while the confirmation is showing

    app.button(key="proposal_confirm").click().run()

    assert not app.exception, app.exception
    assert store.list("proposals") == [alpha]
    assert "Bravo (" in shown_text(app)
    assert "was deleted by someone else; nothing was overwritten" in shown_text(app)


def test_picking_another_proposal_drops_the_pending_overwrite(store, launch):
    alpha = saved_proposal(store, launch, "Alpha")
    bravo = saved_proposal(store, launch, "Bravo")
    app = ask_to_overwrite(open_page(), bravo.key, launch)

    app.selectbox(key="proposal_manage").set_value(alpha.key).run()

    assert not any(b.key == "proposal_confirm" for b in app.button)
    assert store.list("proposals") == [bravo, alpha]


@pytest.mark.parametrize("picked", [0, 1])
def test_of_two_proposals_alike_in_name_and_minute_the_picked_one_is_deleted(store, launch, picked):
    alike = [saved_proposal(store, launch, "Same plan") for _ in range(2)]
    app = open_page()

    app.selectbox(key="proposal_manage").set_value(alike[picked].key).run()
    app.button(key="proposal_delete").click().run()
    app.button(key="proposal_confirm").click().run()

    assert store.list("proposals") == [alike[1 - picked]]


def test_a_delete_of_a_proposal_someone_saved_since_is_refused(store, launch):
    item = saved_proposal(store, launch, "Bravo")
    app = open_page()
    app.button(key="proposal_delete").click().run()
    theirs = store.update("proposals", item.key, item.scenario, item.revision)

    app.button(key="proposal_confirm").click().run()

    assert store.list("proposals") == [theirs]
    assert "someone saved this proposal since you opened it" in shown_text(app).lower()


def test_the_proposal_someone_deleted_while_it_was_open_is_named(store, launch):
    saved_proposal(store, launch, "Alpha")
    bravo = saved_proposal(store, launch, "Bravo")
    app = open_page()
    app.selectbox(key="proposal_manage").set_value(bravo.key).run()
    store.delete("proposals", bravo.key, bravo.revision)

    app.run()

    assert "the proposal you had open, was deleted by someone else" in shown_text(app)
    assert app.selectbox(key="proposal_manage").value != bravo.key


# --- Damaged files and an unusable data folder ------------------------------------------------


def test_unreadable_proposal_files_are_named_with_the_fix_not_hidden(store, launch):
    saved_proposal(store, launch, "Alpha")
    damaged = store.root / "proposals" / "20260101-000000-00000d.yaml"
    damaged.write_text("revision: 1\n", encoding="utf-8")

    app = open_page()

    assert not app.exception, app.exception
    warning = confirmation_text(app)
    assert "1 saved proposal cannot be read" in warning
    assert "proposals/20260101-000000-00000d.yaml" in warning
    assert "restore it from a backup or delete the file" in warning
    assert "On the table (1)" in [s.value for s in app.subheader]


def test_an_overwrite_of_a_proposal_whose_file_was_damaged_meanwhile_is_dropped(store, launch):
    alpha = saved_proposal(store, launch, "Alpha")
    bravo = saved_proposal(store, launch, "Bravo")
    app = ask_to_overwrite(open_page(), bravo.key, launch)
    damaged = store.root / "proposals" / f"{bravo.key}.yaml"
    damaged.write_text("revision: 1\n", encoding="utf-8")

    app.run()

    assert not app.exception, app.exception
    assert not any(b.key == "proposal_confirm" for b in app.button)
    assert "can no longer be read (see above); nothing was overwritten" in shown_text(app)
    assert store.list("proposals") == [alpha]
    assert damaged.read_text(encoding="utf-8") == "revision: 1\n"


def test_only_unreadable_proposals_do_not_claim_the_table_is_empty(store):
    folder = store.root / "proposals"
    folder.mkdir(parents=True)
    (folder / "20260101-000000-00000d.yaml").write_bytes(b"\x00\xff")

    app = open_page()

    assert "cannot be read" in confirmation_text(app)
    assert not any("No proposals yet" in i.value for i in app.info)


def test_saving_a_proposal_into_an_unwritable_data_folder_shows_an_error_box(tmp_path, monkeypatch):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(blocker))

    app = propose(open_page(), "Nova at 650")

    assert not app.exception, app.exception
    (error,) = [e.value for e in app.error if "Not saved" in e.value]
    shown = error.replace("\u2060", "").replace("\\", "")
    assert "read-only or not writable by the app" in shown
    assert "download your scenario to keep it" in shown


# --- The search and the deal ------------------------------------------------------------------


def test_adopting_the_deal_makes_its_levers_the_working_scenario():
    app = open_page()
    result, deal = suggested_deal(app)

    app.button(key="deal_adopt").click().run()

    assert not app.exception, app.exception
    assert_allclose(plan_levers(working(app)), lever_matrix(result.plans)[deal.index])
    assert working(app).metadata.name.startswith("Nash bargaining deal")
    assert "it is now the working scenario" in shown_text(app)
    # The search still describes the adopted plan's neighbourhood: no "search again" note.
    assert not any("changed since this search" in i.value for i in app.info)


@pytest.mark.parametrize(
    ("mode", "value", "holds"),
    [
        ("fixed", 650.0, lambda price: price == 650.0),
        ("floor", 620.0, lambda price: price >= 620.0),
        ("ceiling", 520.0, lambda price: price <= 520.0),
    ],
)
def test_a_locked_price_holds_in_the_adopted_deal(mode, value, holds):
    app = open_page()
    app.multiselect(key="lock_levers").select("price.nova").run()
    app.segmented_control(key="lock_mode_price_nova").set_value(mode)
    app.number_input(key="lock_value_price_nova").set_value(value).run()
    assert any("changed since this search" in i.value for i in app.info)

    app.button(key="compromise_search").click().run()
    app.button(key="deal_adopt").click().run()

    assert not app.exception, app.exception
    price = working(app).product("nova").price
    assert holds(price), f"Nova price {price} breaks the {mode} lock at {value}"


def test_a_locked_margin_rate_keeps_the_working_value():
    app = open_page()
    before = working(app).commission.margin_rate
    app.multiselect(key="lock_levers").select("margin_rate").run()
    app.button(key="compromise_search").click().run()
    app.button(key="deal_adopt").click().run()

    assert working(app).commission.margin_rate == pytest.approx(before)


def test_a_lock_outside_what_a_scenario_holds_is_refused_by_name():
    app = open_page()
    app.multiselect(key="lock_levers").select("margin_rate").run()
    app.number_input(key="lock_value_margin_rate").set_value(150.0).run()
    app.button(key="compromise_search").click().run()

    assert "locks.margin_rate" in shown_text(app)
    assert not app.exception, app.exception


def test_in_a_hosted_workshop_the_deal_is_adopted_only_once_unlocked(monkeypatch):
    monkeypatch.setenv("ALIGNMENT_FACILITATOR_PASSCODE", PASSCODE)
    app = open_page()
    before = working(app)

    app.button(key="deal_adopt").click().run()
    assert working(app) == before
    assert "Only the facilitator can" in shown_text(app)

    app.text_input(key="facilitator_passcode_input").input(PASSCODE)
    app.button(key="facilitator_unlock").click().run()
    app.button(key="deal_adopt").click().run()
    assert working(app) != before
    assert working(app).metadata.name.startswith("Nash bargaining deal")


def test_constraints_no_plan_can_meet_say_so_and_offer_no_deal():
    app = open_page()

    app.number_input(key="constraint_motivation").set_value(100.0).run()

    assert "No candidate plan meets the constraints" in shown_text(app)
    assert not any(b.key == "deal_adopt" for b in app.button)
    assert not app.exception, app.exception


def test_kalai_smorodinsky_and_the_bargaining_weight_change_the_suggestion():
    app = open_page()
    app.radio(key="deal_rule").set_value("kalai_smorodinsky").run()
    assert "Kalai–Smorodinsky deal" in shown_text(app)

    app.radio(key="deal_rule").set_value("nash").run()
    app.slider(key="deal_weight").set_value(0.9).run()
    assert "Weighted Nash deal" in shown_text(app)
    assert not app.exception, app.exception


def test_widgets_that_do_not_change_the_search_never_run_it_again(searches, store, launch):
    key = saved_proposal(store, launch).key
    app = open_page()
    assert len(searches) == 1

    app.slider(key="deal_weight").set_value(0.7).run()
    app.radio(key="deal_rule").set_value("kalai_smorodinsky").run()
    app.number_input(key="constraint_margin").set_value(40.0).run()
    app.multiselect(key="proposal_compare").set_value([key]).run()
    app.radio(key="rep_utility").set_value("motivation").run()
    app.button(key="compromise_search").click().run()  # the same inputs: the cached search
    assert len(searches) == 1

    app.multiselect(key="lock_levers").select("price.nova").run()
    app.button(key="compromise_search").click().run()
    assert len(searches) == 2
    assert set(searches[-1]) == {"price.nova"}
    assert not app.exception, app.exception


def test_loading_another_scenario_searches_it_by_itself(searches):
    saas = load_scenario(ROOT / "scenarios" / "saas_tiers_smb_enterprise.yaml")
    app = open_page()
    app.multiselect(key="lock_levers").select("price.nova").run()  # no Nova in the SaaS case

    app.session_state["status_quo_scenario"] = saas
    app.session_state["working_scenario"] = saas
    app.run()

    assert not app.exception, app.exception
    assert len(searches) == 2
    assert app.session_state["compromise_request"].working.product_ids == saas.product_ids
    assert not any("changed since this search" in i.value for i in app.info)


def test_another_seed_waits_for_the_button_and_then_draws_other_candidates(searches):
    app = open_page()
    first = suggested_deal(app)[0]

    app.number_input(key="compromise_seed").set_value(7).run()
    assert any("changed since this search" in i.value for i in app.info)
    assert len(searches) == 1

    app.button(key="compromise_search").click().run()
    assert len(searches) == 2
    second = suggested_deal(app)[0]
    assert not np.array_equal(lever_matrix(first.plans)[5:50], lever_matrix(second.plans)[5:50])


def test_a_hard_limit_typed_outside_its_range_is_refused_out_loud_and_not_applied():
    app = open_page()
    app.number_input(key="constraint_margin").set_value(150.0).run()

    assert not app.exception
    refused = [e.value for e in app.error if "Min gross margin %" in e.value]
    assert refused and "0 to 99" in refused[0] and "not applied" in refused[0]

    app.number_input(key="constraint_margin").set_value(40.0).run()
    assert not any("Min gross margin %" in e.value for e in app.error)


def test_the_report_is_written_only_when_someone_asks_for_it(monkeypatch):
    from workshop_ui import compromise_report

    written: list[int] = []
    real = compromise_report.report_files

    def spy(*args, **kwargs):
        written.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compromise_report, "report_files", spy)
    compromise_report._report_files.clear()
    app = open_page()
    keys = " ".join(element.proto.id for element in app.get("download_button"))
    assert written == []  # opening the page writes no PDF
    assert "report_yaml" in keys and "report_pdf" not in keys

    app.button(key="write_report").click().run()

    keys = " ".join(element.proto.id for element in app.get("download_button"))
    for key in ("report_pdf", "report_html", "report_markdown", "report_xlsx", "report_yaml"):
        assert key in keys
    assert written == [1]
    app.run()  # the room unchanged: the written files are reused, not written again
    assert written == [1]
    assert not app.exception
