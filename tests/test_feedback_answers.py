""" "Hade du nytta av innehållet på denna sida?": on every public page, answered without
JavaScript or a token, thanked on a page of the visitor's own that is never kept, so no one
else ever sees a thanks or a comment; refused input, floods, and the summary for
administrators (escaped, and only their own organisation's pages)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from uppsikt.feedback.models import COMMENT_MAX, PageAnswer

from .feedback_setup import URLS, organisation_admin, public_frame, superuser

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

SAMPLE = "/prov/sida/"
SCRIPT = '<script>alert("x")</script>'


def answer(client, svar="ja", sida=SAMPLE):
    return client.post(reverse("feedback:answer"), {"svar": svar, "sida": sida})


def test_every_public_page_asks_the_question_without_a_token(client):
    page = client.get(SAMPLE)
    text = page.content.decode()
    assert "Hade du nytta av innehållet på denna sida?" in text
    assert f'name="sida" value="{SAMPLE}"' in text
    assert 'name="svar" value="ja"' in text and 'name="svar" value="nej"' in text
    assert "csrfmiddlewaretoken" not in text
    assert page["X-Uppsikt-Cache"] == "miss"
    assert reverse("feedback:report") + "?sida=/prov/sida/" in text.replace("%2F", "/")


def test_an_answer_is_stored_and_thanked_on_a_page_of_ones_own(client):
    csrf_client = Client(enforce_csrf_checks=True)  # no token needed: exempt on purpose
    response = answer(csrf_client, "nej")
    assert response.status_code == 302
    stored = PageAnswer.objects.get()
    assert stored.path == SAMPLE and stored.useful is False and stored.organisation is None
    thanks = csrf_client.get(response["Location"])
    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"] and "private" in thanks["Cache-Control"]
    assert "X-Uppsikt-Cache" not in thanks
    text = thanks.content.decode()
    assert "Tack för ditt svar" in text and f'href="{SAMPLE}"' in text


def test_no_thanks_or_comment_is_ever_served_to_others(client):
    visitor, other = Client(), Client()
    assert visitor.get(SAMPLE)["X-Uppsikt-Cache"] == "miss"
    thanks_url = answer(visitor, "ja")["Location"]
    commented = visitor.post(thanks_url, {"comment": "Hemlig kommentar " + SCRIPT})
    assert commented.status_code == 302
    assert "Vi har tagit emot din kommentar" in visitor.get(thanks_url).content.decode()
    for who in (visitor, other):
        page = who.get(SAMPLE)
        text = page.content.decode()
        assert "Tack" not in text and "Hemlig" not in text and "<script>alert" not in text
    assert other.get(SAMPLE)["X-Uppsikt-Cache"] == "hit"
    # A crafted query string is answered, never kept.
    assert other.get(SAMPLE + "?tack=1")["X-Uppsikt-Cache"] == "bypass"


def test_a_comment_is_taken_once_cleaned_and_named_when_too_long(client):
    thanks_url = answer(client)["Location"]
    too_long = client.post(thanks_url, {"comment": "x" * (COMMENT_MAX + 1)})
    assert too_long.status_code == 400
    assert any(
        "Kommentar" in e and str(COMMENT_MAX) in e
        for e in too_long.context["form"].errors["comment"]
    )
    empty = client.post(thanks_url, {"comment": "\x00 \x1b"})
    assert empty.status_code == 400 and "Kommentar" in empty.context["form"].errors["comment"][0]
    assert PageAnswer.objects.get().comment == ""
    client.post(thanks_url, {"comment": "Bra\x07 sida\u202e"})
    client.post(thanks_url, {"comment": "Ersätter inte"})
    stored = PageAnswer.objects.get()
    assert stored.comment == "Bra sida" and stored.commented_at is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"svar": "kanske", "sida": SAMPLE}, "Ja eller Nej"),
        ({"sida": SAMPLE}, "Ja eller Nej"),
        ({"svar": "ja", "sida": "https://evil.example/"}, "Sidans adress"),
        ({"svar": "ja", "sida": "//evil.example/"}, "Sidans adress"),
        ({"svar": "ja", "sida": "/\\evil.example"}, "Sidans adress"),
        ({"svar": "ja"}, "Sidans adress"),
        ({"svar": "ja", "sida": "/finns/inte/alls/"}, "ingen sådan sida"),
    ],
)
def test_bad_answers_are_refused_and_nothing_stored(client, data, message):
    response = client.post(reverse("feedback:answer"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "evil.example" not in response.get("Location", "")
    assert not PageAnswer.objects.exists()


def test_answers_are_posted_only(client):
    assert client.get(reverse("feedback:answer")).status_code == 405


def test_a_flood_from_one_address_is_cut(client, settings):
    settings.FEEDBACK_RATE_PER_ADDRESS = 4
    statuses = [answer(client).status_code for _ in range(6)]
    assert statuses == [302] * 4 + [429] * 2
    assert PageAnswer.objects.count() == 4
    assert answer(Client(REMOTE_ADDR="192.0.2.9")).status_code == 302


def test_comments_count_against_the_same_limit(client, settings):
    settings.FEEDBACK_RATE_PER_ADDRESS = 1
    thanks_url = answer(client)["Location"]
    assert client.post(thanks_url, {"comment": "Hej"}).status_code == 429
    assert PageAnswer.objects.get().comment == ""


def test_an_old_or_forged_thanks_address_is_not_found(client, settings):
    thanks_url = answer(client)["Location"]
    assert client.get(thanks_url[:-3] + "x/").status_code == 404
    assert client.get(reverse("feedback:thanks", args=["42"])).status_code == 404


def test_answers_to_an_organisations_page_name_it(client, two_regions_with_roles):
    world = two_regions_with_roles
    organisation_page = reverse("public:organisation", args=[world.org.code])
    answer(client, "ja", organisation_page)
    answer(client, "ja", "/prov/sida/0099/")  # not a public page: no organisation
    answer(client, "ja", reverse("public:organisation", args=["9999"]))  # no such code
    stored = {a.path: a.organisation for a in PageAnswer.objects.all()}
    assert stored == {
        organisation_page: world.org,
        "/prov/sida/0099/": None,
        reverse("public:organisation", args=["9999"]): None,
    }


def _answers(world):
    own = reverse("public:organisation", args=[world.org.code])
    other = reverse("public:organisation", args=[world.other_org.code])
    for path, useful in ((own, True), (own, True), (own, False), (other, False), (SAMPLE, True)):
        answer(Client(), "ja" if useful else "nej", path)
    thanks = answer(Client(), "nej", own)["Location"]
    Client().post(thanks, {"comment": SCRIPT + " Saknar siffror"})
    Client().post(answer(Client(), "ja", other)["Location"], {"comment": "Annans kommentar"})
    return own, other


def test_the_summary_counts_per_page_and_shows_comments_escaped(client, two_regions_with_roles):
    own, other = _answers(two_regions_with_roles)
    client.force_login(superuser())
    response = client.get(reverse("feedback:summary"))
    assert response.status_code == 200
    groups = {
        g.organisation.code if g.organisation else None: g for g in response.context["summaries"]
    }
    (own_page,) = groups["0099"].pages
    assert (own_page.path, own_page.yes, own_page.no) == (own, 2, 2)
    assert [text for _at, text in own_page.comments] == [SCRIPT + " Saknar siffror"]
    (other_page,) = groups["0098"].pages
    assert (other_page.path, other_page.yes, other_page.no) == (other, 1, 1)
    assert groups[None].pages[0].path == SAMPLE
    text = response.content.decode()
    assert SCRIPT not in text and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text


def test_an_organisations_administrator_sees_only_its_pages(client, two_regions_with_roles):
    world = two_regions_with_roles
    own, other = _answers(world)
    client.force_login(organisation_admin(world))
    text = client.get(reverse("feedback:summary")).content.decode()
    assert own in text and other not in text and SAMPLE not in text
    assert "Annans kommentar" not in text


def test_others_may_not_read_the_summary(client, two_regions_with_roles):
    url = reverse("feedback:summary")
    assert client.get(url).status_code == 302
    for name in ("administrator_inne", "planerare_inne", "allmanhet"):
        client.force_login(two_regions_with_roles.user(name))
        assert client.get(url).status_code == 403, name


def test_the_admin_shows_comments_escaped(client):
    Client().post(answer(Client())["Location"], {"comment": SCRIPT})
    client.force_login(superuser())
    page = client.get(reverse("admin:feedback_pageanswer_changelist")).content.decode()
    assert "&lt;script&gt;" in page and SCRIPT not in page


@pytest.mark.django_db(transaction=True)  # the kept pages are renewed on a real commit
def test_answers_do_not_empty_the_kept_pages(client):
    """A flood of answers is no flood of renewed pages (``pagecache.ignore_models`` in ``FeedbackConfig.ready``)."""
    assert client.get(SAMPLE)["X-Uppsikt-Cache"] == "miss"
    Client().post(answer(Client())["Location"], {"comment": "Bra"})
    assert PageAnswer.objects.count() == 1
    assert client.get(SAMPLE)["X-Uppsikt-Cache"] == "hit"


def test_the_thanks_page_in_the_public_frame(client):
    with public_frame():
        thanks = client.get(answer(client)["Location"])
    text = thanks.content.decode()
    assert "public-footer" in text and "sidans-nytta" not in text


def test_an_organisations_administrator_finds_the_summary(client, two_regions_with_roles):
    world = two_regions_with_roles
    _answers(world)
    organisation_page = reverse("organisations:detail", args=[world.org.code])
    statement_page = reverse("feedback:statement")
    summary = f'href="{reverse("feedback:summary")}"'  # a link, not the answer form's action
    client.force_login(world.user("administrator_inne"))  # administers styrelsen only
    assert summary not in client.get(organisation_page).content.decode()
    assert summary not in client.get(statement_page).content.decode()
    client.force_login(organisation_admin(world))
    text = client.get(organisation_page).content.decode()
    assert summary in text and "4 svar om organisationens offentliga sidor" in text
    statement = client.get(statement_page).content.decode()
    assert summary in statement and reverse("feedback:statement_edit") not in statement
