"""Anchors: a trail cut at its end, or wiped, passes the chain check but not its anchors."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from playwright.sync_api import expect

from uppsikt.audit.anchors import append_anchor, parse_anchors, read_anchors
from uppsikt.audit.models import AuditEvent, ChainHead
from uppsikt.audit.trail import GENESIS, verify
from uppsikt.jobs.models import Job
from uppsikt.plans.actions.content import update_goal
from uppsikt.plans.models import Goal

from .builders import load_minimal, run_queued_jobs, user_with_role

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def anchors_file(settings, tmp_path):
    settings.AUDIT_ANCHORS_FILE = tmp_path / "var" / "audit-anchors.log"
    return settings.AUDIT_ANCHORS_FILE


@pytest.fixture
def trail():
    """Four events; returns {sequence: hash}."""
    load_minimal(goal_count=1, status="utkast")
    planner = user_with_role("planerare")
    goal = Goal.objects.get()
    for number in range(1, 5):
        update_goal(goal, actor=planner, text=f"Formulering nummer {number}")
    return dict(AuditEvent.objects.values_list("sequence", "hash"))


def cut_after(sequence: int) -> None:
    """What someone with database access does to hide the newest rows: delete them, and move
    the head back to the row that is now last, so that the chain is whole again."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE sequence > %s", [sequence])  # noqa: S608
    last = AuditEvent.objects.get(sequence=sequence)
    ChainHead.objects.update(last_sequence=sequence, last_hash=last.hash)


def wipe() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
    ChainHead.objects.all().delete()


def audit(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_expect_holds_for_a_whole_trail_and_fails_for_a_cut_one(trail, anchors_file):
    expected = f"4:{trail[4]}"
    out = audit("verify", "--expect", expected)
    assert "4 rader kontrollerade" in out and "Rad 4 har den väntade hashen" in out

    cut_after(2)
    assert verify() == (2, None)  # the chain alone cannot tell
    audit("verify")
    with pytest.raises(CommandError, match="rad 4: raden finns inte längre"):
        audit("verify", "--expect", expected)
    audit("verify", "--expect", f"2:{trail[2]}")  # below the cut all is as published


def test_expect_names_a_row_that_has_another_hash(trail, anchors_file):
    with pytest.raises(CommandError, match="rad 3: raden har inte den hash som publicerades"):
        audit("verify", "--expect", f"3:{trail[4]}")
    with pytest.raises(CommandError, match="LÖPNUMMER:HASH"):
        audit("verify", "--expect", "3-abc")


def test_anchors_catch_a_cut(trail, anchors_file):
    anchor = append_anchor(anchors_file)
    assert (anchor.sequence, anchor.hash) == (4, trail[4])
    assert "Stämmer med 1 publicerade ankare" in audit("verify")

    cut_after(3)
    with pytest.raises(CommandError, match=r"publicerade ankarna .*rad 4: raden finns inte"):
        audit("verify")
    audit("verify", "--no-anchors")  # what plain verification said before anchors


def test_anchors_catch_a_wipe(trail, anchors_file):
    audit("anchor")
    wipe()
    assert verify() == (0, None)
    with pytest.raises(CommandError, match="rad 4: raden finns inte längre"):
        audit("verify")


def test_a_copy_of_the_anchors_kept_elsewhere_is_checked_too(trail, anchors_file, tmp_path):
    append_anchor(anchors_file)
    copy = tmp_path / "kopia.log"
    copy.write_text(anchors_file.read_text())
    anchors_file.unlink()  # the server's own file is gone with the trail's end
    cut_after(1)
    audit("verify")
    with pytest.raises(CommandError, match="rad 4"):
        audit("verify", "--anchors", str(copy))
    with pytest.raises(CommandError, match="finns inte"):
        audit("verify", "--anchors", str(tmp_path / "saknas.log"))


def test_the_anchor_file_is_appended_to_once_a_day_with_daily(trail, anchors_file):
    assert "Ankare publicerat" in audit("anchor", "--daily")
    assert "Dagens ankare finns redan" in audit("anchor", "--daily")
    audit("anchor")  # without --daily: always
    anchors, bad = read_anchors(anchors_file)
    assert [a.sequence for a in anchors] == [4, 4] and bad == []
    line = anchors_file.read_text().splitlines()[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 4 [0-9a-f]{64}", line)


def test_an_unreadable_anchor_line_fails_verification(trail, anchors_file):
    append_anchor(anchors_file)
    with anchors_file.open("a") as handle:
        handle.write("i går 4 inte-en-hash\n")
    with pytest.raises(CommandError, match="rad 2 i ankarfilen går inte att läsa"):
        audit("verify")


def test_an_empty_trail_anchors_to_genesis(anchors_file):
    anchor = append_anchor(anchors_file)
    assert (anchor.sequence, anchor.hash) == (0, GENESIS)
    audit("verify")
    assert parse_anchors("# kommentar\n\n") == ([], [])


# -- the public page ----------------------------------------------------------------------


def test_the_public_page_lists_the_anchors_newest_first_without_login(client, trail, anchors_file):
    first = append_anchor(anchors_file)
    update_goal(Goal.objects.get(), actor=user_with_role("planerare2"), text="En femte")
    second = append_anchor(anchors_file)
    response = client.get("/andringslogg/ankare/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(second.hash) < page.index(first.hash)
    assert "<caption>" in page and 'scope="col"' in page
    body = page[page.index("<main") :]
    # Nothing of the trail itself: no texts, no actors, no other hashes.
    assert "Formulering" not in body and "planerare" not in body
    shown = set(re.findall(r"[0-9a-f]{64}", body))
    assert shown == {first.hash, second.hash}

    text = client.get("/andringslogg/ankare.txt")
    assert text["Content-Type"].startswith("text/plain")
    assert text.content.decode() == first.line() + second.line()


def test_the_public_page_without_anchors(client, anchors_file):
    page = client.get("/andringslogg/ankare/").content.decode()
    assert "Inga ankare har publicerats ännu." in page


def test_the_page_shows_only_well_formed_lines(client, anchors_file):
    anchors_file.parent.mkdir(parents=True)
    anchors_file.write_text("2026-01-01T00:00:00+00:00 1 " + "a" * 64 + "\nhemligt\n")
    page = client.get("/andringslogg/ankare/").content.decode()
    assert "a" * 64 in page and "hemligt" not in page


@pytest.mark.django_db(transaction=True)
def test_the_web_check_compares_with_the_anchors(client, trail, anchors_file):
    append_anchor(anchors_file)
    cut_after(2)
    admin = user_with_role("admin", "administrator")
    client.force_login(admin)
    client.post("/andringslogg/kontroll/")
    run_queued_jobs()
    job = Job.objects.get()
    assert job.result["intact"] is True and "rad 4" in job.result["anchor_problem"]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "stämmer inte med de publicerade ankarna" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_anchors_page_passes_axe(live_server, page, trail, anchors_file):
    from .a11y import assert_accessible

    append_anchor(anchors_file)
    append_anchor(anchors_file)
    response = page.goto(live_server.url + "/andringslogg/ankare/")
    assert response.status == 200
    expect(page.get_by_role("table", name="Publicerade ankare, senaste först")).to_be_visible()
    assert_accessible(page)
