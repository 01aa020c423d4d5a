from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
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


class GrantRoleForm(forms.Form):
    username = forms.CharField(label=_("Användarnamn"), max_length=150)
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

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Det finns ingen aktiv användare med det namnet."))
        self.cleaned_data["user"] = user
        return username
