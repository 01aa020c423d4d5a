"""Pages of the second factor: the code step of signing in, and Mitt konto →
Tvåstegsverifiering (enrol, recovery codes, remove). The rules are in ``second_factor.py``,
the sign-in state in ``signin.py``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from uppsikt.lib.typing import Account, AuthenticatedRequest

from . import second_factor, signin, totp
from .forms import ConfirmCodeForm, LoginCodeForm, RemoveSecondFactorForm
from .lockout import lockout_message


def _crumbs(here: str | None = None) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [(_("Mitt konto"), reverse("accounts:account"))]
    if here is None:
        return [*crumbs, (_("Tvåstegsverifiering"), None)]
    return [*crumbs, (_("Tvåstegsverifiering"), reverse("accounts:second_factor")), (here, None)]


def _wrong_code(request: HttpRequest, user: Account, form: forms.Form) -> None:
    signin.code_failed(request, user)
    form.add_error("code", _("Koden stämmer inte. Kontrollera den och försök igen."))


def _code_ok(request: HttpRequest, user: Account, form: forms.Form) -> bool:
    """The form's code is right for ``user``; counts wrong codes towards the lockout."""
    if signin.code_step_locked(request, user):
        form.add_error(None, lockout_message())
        return False
    if second_factor.verify(user, form.cleaned_data["code"]) is None:
        _wrong_code(request, user, form)
        return False
    return True


def _password_ok(request: HttpRequest, user: Account, password: str) -> bool:
    ok = user.check_password(password)
    if ok:  # a hash upgraded with today's parameters would otherwise end this session
        update_session_auth_hash(request, user)
    return ok


@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, after the password."""
    half = signin.pending(request)
    if half is None:
        messages.info(request, _("Inloggningen hann gå ut. Logga in igen."))
        return redirect("accounts:login")
    user, next_url = half
    form = LoginCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _code_ok(request, user, form):
        signin.complete(request, user)
        left = second_factor.recovery_codes_left(user)
        if left <= 3:
            warning = ngettext(
                "Du har %(left)s reservkod kvar. Skapa nya under Mitt konto.",
                "Du har %(left)s reservkoder kvar. Skapa nya under Mitt konto.",
                left,
            )
            messages.warning(request, warning % {"left": left})
        return redirect(next_url)
    return render(request, "accounts/login_code.html", {"form": form})


@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    return _overview(request)


def _overview(request: AuthenticatedRequest, **forms: forms.Form) -> HttpResponse:
    """Mitt konto → Tvåstegsverifiering; ``forms`` are the ones sent back with errors."""
    user = request.user
    enrolled = second_factor.is_enrolled(user)
    context = {
        "enrolled": enrolled,
        "required": second_factor.is_required(user),
        "codes_left": second_factor.recovery_codes_left(user) if enrolled else 0,
        "regenerate_form": LoginCodeForm(auto_id="id_regenerate_%s"),
        "remove_form": RemoveSecondFactorForm(auto_id="id_remove_%s"),
        "breadcrumbs": _crumbs(),
        **forms,
    }
    return render(request, "accounts/second_factor.html", context)


@never_cache
@login_required
def enrol(request: AuthenticatedRequest) -> HttpResponse:
    """Show a new secret, confirm it with a first code, then show the recovery codes once."""
    user = request.user
    if second_factor.is_enrolled(user):
        signin.enrolled(request)
        return redirect("accounts:second_factor")
    authenticator = second_factor.start_enrolment(user)
    form = ConfirmCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signin.code_step_locked(request, user):
            form.add_error(None, lockout_message())
        else:
            codes = second_factor.confirm_enrolment(user, form.cleaned_data["code"])
            if codes is not None:
                signin.enrolled(request)
                return _show_codes(request, codes, first=True)
            _wrong_code(request, user, form)
    secret = second_factor.pending_secret(authenticator)
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {
            "form": form,
            "secret": totp.grouped(secret),
            "uri": second_factor.provisioning_uri(user, secret),
            "required": signin.must_enrol(request),
            "breadcrumbs": _crumbs(_("Aktivera")),
        },
    )


def _show_codes(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "first": first, "breadcrumbs": _crumbs(_("Reservkoder"))},
    )


@never_cache
@login_required
@require_POST
def regenerate_codes(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = LoginCodeForm(request.POST, auto_id="id_regenerate_%s")
    if not second_factor.is_enrolled(user):
        return redirect("accounts:second_factor")
    if form.is_valid() and _code_ok(request, user, form):
        codes = second_factor.regenerate_recovery_codes(user, actor=user)
        return _show_codes(request, codes, first=False)
    return _overview(request, regenerate_form=form)


@login_required
@require_POST
def remove(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = RemoveSecondFactorForm(request.POST, auto_id="id_remove_%s")
    if not second_factor.is_enrolled(user):
        return redirect("accounts:second_factor")
    if form.is_valid():
        if signin.code_step_locked(request, user):
            form.add_error(None, lockout_message())
        elif not _password_ok(request, user, form.cleaned_data["password"]):
            signin.code_failed(request, user)
            form.add_error("password", _("Lösenordet stämmer inte."))
        elif second_factor.verify(user, form.cleaned_data["code"]) is None:
            _wrong_code(request, user, form)
        else:
            second_factor.remove(user, actor=user)
            if second_factor.is_required(user):
                signin.require_enrolment(request)
                messages.info(
                    request,
                    _(
                        "Ditt konto kräver tvåstegsverifiering: aktivera den igen med den nya appen."
                    ),
                )
                return redirect("accounts:second_factor_enrol")
            messages.success(request, _("Tvåstegsverifieringen är avstängd."))
            return redirect("accounts:second_factor")
    return _overview(request, remove_form=form)
