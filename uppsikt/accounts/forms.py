from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, UsernameField
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Unit

from .lockout import client_ip, is_locked, lockout_message
from .models import Role


class LoginForm(AuthenticationForm):
    """Django's login form, with our wording and the lockout message first."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Användarnamnet eller lösenordet är fel. Försök igen."),
        "inactive": _("Användarnamnet eller lösenordet är fel. Försök igen."),
    }

    def clean(self) -> dict[str, Any]:
        if is_locked(self.cleaned_data.get("username"), client_ip(self.request)):
            raise forms.ValidationError(lockout_message(), code="locked")
        return super().clean()


class _UnitRoleForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.none(),
        help_text=_("Rollen gäller enheten och alla enheter under den."),
    )
    # The least rights by default: a slip of the hand should not make an administrator.
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices, initial=Role.LASARE)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Unit]", self.fields["unit"]).queryset = units


class GrantRoleForm(_UnitRoleForm):
    username = forms.CharField(label=_("Användarnamn"), max_length=150)
    field_order = ["username", "unit", "role"]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Det finns ingen aktiv användare med det namnet."))
        self.cleaned_data["user"] = user
        return username


class InviteForm(_UnitRoleForm):
    # Checked by the action (invitations.invite), which says why in Swedish.
    email = forms.CharField(
        label=_("E-postadress"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    field_order = ["email", "unit", "role"]


class ClaimRoleForm(_UnitRoleForm):
    claim = forms.CharField(
        label=_("Claim"),
        max_length=100,
        initial="groups",
        help_text=_("Namnet på uppgiften från identitetsleverantören, till exempel groups."),
    )
    value = forms.CharField(
        label=_("Värde"),
        max_length=300,
        help_text=_("Claimen ska ha det här värdet, eller som lista innehålla det."),
    )
    field_order = ["claim", "value", "unit", "role"]


class AcceptInvitationForm(BaseUserCreationForm):  # type: ignore[type-arg]
    """A new account for an invitation: a user name and a password (Django's validators)."""

    class Meta:
        model = get_user_model()
        fields = ("username",)
        field_classes = {"username": UsernameField}


# -- the second factor (second_factor_views.py) ----------------------------------------------


class CodeField(forms.CharField):
    """A code from the authenticator app: digits, filled in by the phone where it can."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Kod från appen"))
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update(autocomplete="one-time-code", spellcheck="false", autocapitalize="off")
        return attrs


class LoginCodeForm(forms.Form):
    """The code step of signing in: the app's code, or one of the recovery codes."""

    code = CodeField(
        label=_("Kod"),
        help_text=_(
            "Sex siffror från autentiseringsappen. Har du inte telefonen kan du skriva "
            "en av dina reservkoder i stället."
        ),
    )


class ConfirmCodeForm(forms.Form):
    code = CodeField(help_text=_("De sex siffror som appen visar just nu."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class RemoveSecondFactorForm(forms.Form):
    password = forms.CharField(
        label=_("Lösenord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = CodeField(help_text=_("Från appen, eller en av dina reservkoder."))
