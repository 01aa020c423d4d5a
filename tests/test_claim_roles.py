"""Roles from the identity provider's claims: given at each OpenID Connect login while the
claim matches, taken back when it no longer does, never touching roles given by hand."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.accounts.access import Perm, can
from uppsikt.accounts.claim_roles import create_mapping, delete_mapping, matches
from uppsikt.accounts.models import ClaimRoleMapping, RoleAssignment
from uppsikt.audit.models import AuditEvent

from .world import build_world

pytestmark = pytest.mark.django_db

CLAIMS = {"sub": "p-1", "email": "pia@region.se", "email_verified": True}


@pytest.fixture
def claim_world():
    return build_world()


def person():
    return get_user_model().objects.get(email="pia@region.se")


def roles_of(user) -> set[tuple[str, str, str]]:
    return {
        (a.unit.slug, a.role, a.source)
        for a in RoleAssignment.objects.filter(user=user).select_related("unit")
    }


def test_a_matching_group_gives_the_role_and_a_lost_one_takes_it_back(
    claim_world, client, provider
):
    admin = claim_world.user("administrator_inne")
    create_mapping(
        actor=admin, claim="groups", value="controllers", unit=claim_world.unit, role="planerare"
    )
    provider.log_in(client, {**CLAIMS, "groups": ["alla", "controllers"]})
    pia = person()
    assert roles_of(pia) == {("styrelsen", "planerare", "claim")}
    assert can(pia, Perm.PLAN, claim_world.unit)
    grant = AuditEvent.objects.get(action="role.claim_grant")
    assert grant.actor_id == pia.pk and "controllers" in grant.reason
    # Still in the group: nothing changes, nothing is recorded twice.
    client.logout()
    provider.log_in(client, {**CLAIMS, "groups": ["controllers"]})
    assert AuditEvent.objects.filter(action__startswith="role.claim").count() == 1
    # Out of the group: the role goes at the next login.
    client.logout()
    provider.log_in(client, {**CLAIMS, "groups": ["alla"]})
    assert roles_of(pia) == set()
    assert AuditEvent.objects.filter(action="role.claim_revoke").count() == 1


def test_roles_given_by_hand_are_never_taken_back_by_a_login(claim_world, client, provider):
    from uppsikt.accounts.actions import grant_role

    admin = claim_world.user("administrator_inne")
    create_mapping(
        actor=admin, claim="groups", value="controllers", unit=claim_world.unit, role="planerare"
    )
    provider.log_in(client, {**CLAIMS, "groups": []})
    pia = person()
    grant_role(pia, claim_world.unit, "planerare", actor=admin)  # the same role, by hand
    grant_role(pia, claim_world.unit, "lasare", actor=admin)
    client.logout()
    provider.log_in(client, {**CLAIMS, "groups": ["controllers"]})
    client.logout()
    provider.log_in(client, {**CLAIMS, "groups": []})
    assert roles_of(pia) == {("styrelsen", "planerare", "hand"), ("styrelsen", "lasare", "hand")}
    assert not AuditEvent.objects.filter(action__startswith="role.claim").exists()


def test_a_plain_claim_matches_by_equality_and_may_come_in_the_id_token(
    claim_world, client, provider
):
    admin = claim_world.user("administrator_inne")
    create_mapping(
        actor=admin, claim="department", value="Ekonomi", unit=claim_world.unit, role="granskare"
    )
    create_mapping(
        actor=admin, claim="roles", value="uppsikt-lasare", unit=claim_world.unit, role="lasare"
    )
    provider.token_claims = {"roles": ["uppsikt-lasare"]}  # not in the userinfo answer
    provider.log_in(client, {**CLAIMS, "department": "Ekonomi"})
    assert roles_of(person()) == {
        ("styrelsen", "granskare", "claim"),
        ("styrelsen", "lasare", "claim"),
    }
    client.logout()
    provider.token_claims = {}
    provider.log_in(client, {**CLAIMS, "department": "Ekonomiavdelningen"})
    assert roles_of(person()) == set()


def test_a_mapped_role_in_another_organisation_is_not_given(claim_world, client, provider):
    create_mapping(
        actor=claim_world.user("administrator_inne"),
        claim="groups",
        value="a",
        unit=claim_world.unit,
        role="lasare",
    )
    create_mapping(
        actor=claim_world.user("administrator_ute"),
        claim="groups",
        value="b",
        unit=claim_world.other_unit,
        role="lasare",
    )
    provider.log_in(client, {**CLAIMS, "groups": ["a", "b"]})
    organisations = {
        a.unit.organisation_id for a in person().role_assignments.select_related("unit")
    }
    assert len(organisations) == 1


@pytest.mark.parametrize(
    ("claim", "value", "field", "code"),
    [
        ("", "x", "claim", "invalid_claim"),
        ("två ord", "x", "claim", "invalid_claim"),
        ("groups", "  ", "value", "invalid"),
        ("groups", "x" * 301, "value", "invalid"),
    ],
)
def test_a_bad_mapping_is_refused_and_nothing_stored(claim_world, claim, value, field, code):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as raised:
        create_mapping(
            actor=claim_world.user("administrator_inne"),
            claim=claim,
            value=value,
            unit=claim_world.unit,
            role="lasare",
        )
    assert [e.code for e in raised.value.error_dict[field]] == [code]
    assert not ClaimRoleMapping.objects.exists() and AuditEvent.objects.count() == events


def test_a_duplicate_mapping_is_refused(claim_world):
    admin = claim_world.user("administrator_inne")
    create_mapping(actor=admin, claim="groups", value="x", unit=claim_world.unit, role="lasare")
    with pytest.raises(ValidationError):
        create_mapping(actor=admin, claim="groups", value="x", unit=claim_world.unit, role="lasare")
    assert ClaimRoleMapping.objects.count() == 1


@pytest.mark.parametrize("caller", ["planerare_inne", "administrator_ute", "allmanhet"])
def test_only_the_units_administrators_map_claims(claim_world, caller):
    with pytest.raises(PermissionDenied):
        create_mapping(
            actor=claim_world.user(caller),
            claim="groups",
            value="x",
            unit=claim_world.unit,
            role="lasare",
        )


def test_the_page_adds_and_removes_a_mapping(claim_world, client, provider):
    admin = claim_world.user("administrator_inne")
    client.force_login(admin)
    url = reverse("accounts:claim_roles")
    response = client.post(
        url,
        {
            "claim": "groups",
            "value": "controllers",
            "unit": claim_world.unit.pk,
            "role": "planerare",
        },
    )
    assert response.status_code == 302
    mapping = ClaimRoleMapping.objects.get()
    assert "controllers" in client.get(url).content.decode()
    bad = client.post(
        url, {"claim": "två ord", "value": "x", "unit": claim_world.unit.pk, "role": "lasare"}
    )
    assert bad.status_code == 200 and "utan mellanslag" in bad.content.decode()
    client.post(reverse("accounts:claim_role_delete", args=[mapping.pk]))
    assert not ClaimRoleMapping.objects.exists()
    assert {"claim_role.create", "claim_role.delete"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_a_removed_mapping_takes_its_roles_at_the_next_login(claim_world, client, provider):
    admin = claim_world.user("administrator_inne")
    mapping = create_mapping(
        actor=admin, claim="groups", value="g", unit=claim_world.unit, role="lasare"
    )
    provider.log_in(client, {**CLAIMS, "groups": ["g"]})
    assert roles_of(person())
    delete_mapping(mapping, actor=admin)
    client.logout()
    provider.log_in(client, {**CLAIMS, "groups": ["g"]})
    assert roles_of(person()) == set()


@given(
    values=st.lists(st.text(max_size=12), max_size=6),
    wanted=st.text(min_size=1, max_size=12),
)
def test_a_list_claim_matches_exactly_when_it_holds_the_value(values, wanted):
    mapping = ClaimRoleMapping(claim="groups", value=wanted)
    assert matches(mapping, {"groups": values}) == (wanted in values)
    assert matches(mapping, {"groups": wanted}) is True
    assert matches(mapping, {}) is False
