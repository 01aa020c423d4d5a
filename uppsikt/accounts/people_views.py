"""Inviting people (sent from the roles page), accepting an invitation, and the page where
administrators map the identity provider's claims to roles."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsikt.lib.problems import show_refusal
from uppsikt.lib.ratelimit import Limit, first_refusal
from uppsikt.lib.typing import Actor, AuthenticatedRequest, acting_user

from . import claim_roles, invitations, second_factor, signin
from .forms import AcceptInvitationForm, ClaimRoleForm, InviteForm
from .lockout import client_ip
from .models import ClaimRoleMapping, Invitation
from .views import admin_units, roles_page

# Tries at an invitation link per address and minute: the tokens cannot be guessed, this
# only keeps floods off the password hashing.
ACCEPT_RATE_PER_ADDRESS = 30


@login_required
@require_POST
def invite(request: AuthenticatedRequest) -> HttpResponse:
    units = admin_units(request.user)
    form = InviteForm(request.POST, units=units, prefix="invite")
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _link = invitations.invite(
                actor=request.user, email=data["email"], unit=data["unit"], role=data["role"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("En inbjudan har skickats till %(email)s.") % {"email": invitation.email},
            )
            return redirect("accounts:roles")
    return roles_page(request, invite_form=form)


@login_required
@require_POST
def withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    units = admin_units(request.user)
    invitation = get_object_or_404(
        invitations.pending(Invitation.objects.filter(unit__in=units)), pk=pk
    )
    invitations.withdraw(invitation, actor=request.user)
    messages.success(
        request, _("Inbjudan till %(email)s är återkallad.") % {"email": invitation.email}
    )
    return redirect("accounts:roles")


def _too_many_tries(request: HttpRequest) -> HttpResponse | None:
    """429 when this address has posted to invitation links too often, else None."""
    refused = first_refusal(
        ("invitation-address", client_ip(request), Limit(ACCEPT_RATE_PER_ADDRESS))
    )
    if refused is None:
        return None
    response = render(
        request,
        "accounts/invitation.html",
        {"problem": _("För många försök. Vänta en stund och försök igen.")},
        status=429,
    )
    response["Retry-After"] = str(refused.retry_after)
    return response


@transaction.atomic
def _take(request: HttpRequest, pending: Invitation, form: AcceptInvitationForm | None) -> Actor:
    """The invited person takes the role: a new account from ``form``, or the signed-in one."""
    user: Actor
    if form is not None:
        user = form.save(commit=False)
        user.email = pending.email
        user.save()
    else:
        user = acting_user(request)
    invitations.accept(pending, user)
    return user


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: what the invitation is, and how to take it."""
    if request.method == "POST":
        too_many = _too_many_tries(request)
        if too_many is not None:
            return too_many
    found = invitations.find(token)
    if found.invitation is None:
        status = 410 if found.known else 404
        return render(
            request, "accounts/invitation.html", {"problem": found.problem}, status=status
        )
    pending = found.invitation
    visitor = request.user
    signed_in = visitor.is_authenticated
    same_address = (
        visitor.is_authenticated and (visitor.email or "").lower() == pending.email.lower()
    )
    form = None
    if not signed_in:
        form = AcceptInvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (same_address or (form is not None and form.is_valid())):
        try:
            user = _take(request, pending, form)
        except ValidationError as error:
            return render(
                request,
                "accounts/invitation.html",
                {"problem": " ".join(error.messages)},
                status=409,
            )
        if form is not None:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(
            request,
            _("Du är nu %(role)s på %(unit)s.")
            % {"role": pending.get_role_display().lower(), "unit": pending.unit.name},
        )
        if second_factor.is_required(user) and not second_factor.is_enrolled(user):
            signin.require_enrolment(request)  # an administrator's rights need the second factor
            return redirect("accounts:second_factor_enrol")
        return redirect("accounts:account")
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": pending,
            "form": form,
            "signed_in": signed_in,
            "same_address": same_address,
            "login_url": f"{reverse('accounts:login')}?next={request.path}",
        },
    )


@login_required
def claim_role_list(request: AuthenticatedRequest) -> HttpResponse:
    units = admin_units(request.user)
    form = ClaimRoleForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim_roles.create_mapping(
                actor=request.user,
                claim=data["claim"],
                value=data["value"],
                unit=data["unit"],
                role=data["role"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Kopplingen är sparad. Den gäller från nästa inloggning."))
            return redirect("accounts:claim_roles")
    mappings = ClaimRoleMapping.objects.filter(unit__in=units).select_related(
        "unit__organisation", "created_by"
    )
    return render(
        request,
        "accounts/claim_roles.html",
        {
            "form": form,
            "mappings": mappings,
            "oidc_enabled": settings.OIDC_ENABLED,
            "breadcrumbs": [
                (_("Mitt konto"), reverse("accounts:account")),
                (_("Roller"), reverse("accounts:roles")),
                (_("Roller från inloggningen"), None),
            ],
        },
    )


@login_required
@require_POST
def claim_role_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    units = admin_units(request.user)
    mapping = get_object_or_404(
        ClaimRoleMapping.objects.select_related("unit"), pk=pk, unit__in=units
    )
    claim_roles.delete_mapping(mapping, actor=request.user)
    messages.success(
        request, _("Kopplingen är borttagen. Rollerna den gav går vid nästa inloggning.")
    )
    return redirect("accounts:claim_roles")
