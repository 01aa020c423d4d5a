"""Login, and the page where administrators give and take back roles in their units."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsikt.lib.problems import show_refusal
from uppsikt.lib.ratelimit import Limit, first_refusal
from uppsikt.lib.typing import AuthenticatedRequest, Visitor
from uppsikt.organisations.models import Unit

from . import second_factor, signin
from .access import EVERYWHERE, Perm, units_with
from .actions import grant_role, revoke_role
from .forms import GrantRoleForm, InviteForm, LoginForm
from .invitations import pending
from .lockout import client_ip, normalise
from .models import Invitation, Role, RoleAssignment


class LoginView(auth_views.LoginView):
    """The password step; an enrolled person goes on to the code step (``signin.py``)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if second_factor.is_enrolled(user):
            signin.begin(self.request, user, self.get_success_url())
            return redirect("accounts:login_code")
        response = super().form_valid(form)
        if signin.must_enrol(self.request):  # the enrolment page says why
            return redirect("accounts:second_factor_enrol")
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_provider"] = settings.OIDC_PROVIDER_NAME
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """A flood of posts is cut before any password is checked: per address and per
        user name (``LOGIN_RATE_*`` per minute). The lockout counts failures on top."""
        refused = first_refusal(
            ("login-address", client_ip(request), Limit(settings.LOGIN_RATE_PER_ADDRESS)),
            (
                "login-user",
                normalise(request.POST.get("username")),
                Limit(settings.LOGIN_RATE_PER_USER),
            ),
        )
        if refused is not None:
            return self._rate_limited(refused.retry_after)
        return super().post(request, *args, **kwargs)

    def _rate_limited(self, retry_after: int) -> HttpResponse:
        context = self.get_context_data(form=self.get_form_class()(self.request))
        context["limited"] = _(
            "För många inloggningsförsök på kort tid. Vänta %(seconds)s sekunder och försök igen."
        ) % {"seconds": retry_after}
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(retry_after)
        return response


def admin_units(user: Visitor) -> QuerySet[Unit]:
    allowed = units_with(user, Perm.ADMIN)
    if not allowed:
        raise PermissionDenied(_("Bara administratörer kan ge och ta tillbaka roller."))
    units = Unit.objects.select_related("organisation").order_by(
        "organisation__code", "position", "name"
    )
    return units if allowed is EVERYWHERE else units.filter(pk__in=sorted(allowed))


def roles_page(
    request: AuthenticatedRequest,
    *,
    form: GrantRoleForm | None = None,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The roles page: roles held in the administrator's units, pending invitations, and the
    forms to give a role and to invite someone (each posted to its own view)."""
    units = admin_units(request.user)
    assignments = (
        RoleAssignment.objects.filter(unit__in=units)
        .select_related("user", "unit__organisation", "granted_by")
        .order_by("unit__organisation__code", "unit__position", "user__username", "role")
    )
    invitations = pending(Invitation.objects.filter(unit__in=units)).select_related(
        "unit__organisation", "invited_by"
    )
    return render(
        request,
        "accounts/roles.html",
        {
            "form": form or GrantRoleForm(units=units),
            "invite_form": invite_form or InviteForm(units=units, prefix="invite"),
            "assignments": assignments,
            "invitations": invitations,
            "breadcrumbs": [(_("Mitt konto"), reverse("accounts:account")), (_("Roller"), None)],
        },
        status=status,
    )


@login_required
def roles(request: AuthenticatedRequest) -> HttpResponse:
    units = admin_units(request.user)
    form = GrantRoleForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant_role(data["user"], data["unit"], data["role"], actor=request.user)
        except ValidationError as error:
            show_refusal(form, error)
            return roles_page(request, form=form)
        messages.success(
            request,
            _("%(user)s är nu %(role)s på %(unit)s.")
            % {
                "user": data["user"].get_username(),
                "role": Role(data["role"]).label.lower(),
                "unit": data["unit"].name,
            },
        )
        return redirect("accounts:roles")
    return roles_page(request, form=form)


@login_required
@require_POST
def revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    units = admin_units(request.user)
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "unit"), pk=pk, unit__in=units
    )
    revoke_role(assignment, actor=request.user)
    messages.success(
        request,
        _("Rollen %(role)s på %(unit)s är borttagen för %(user)s.")
        % {
            "role": assignment.get_role_display().lower(),
            "unit": assignment.unit.name,
            "user": assignment.user.get_username(),
        },
    )
    return redirect("accounts:roles")


@login_required
def account(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in person's own page: roles, API tokens, change log, admin tools."""
    assignments = (
        RoleAssignment.objects.filter(user=request.user)
        .select_related("unit__organisation")
        .order_by("unit__organisation__code", "unit__position")
    )
    return render(
        request,
        "accounts/account.html",
        {
            "assignments": assignments,
            "is_admin": bool(units_with(request.user, Perm.ADMIN)),
            "breadcrumbs": [(_("Mitt konto"), None)],
        },
    )
