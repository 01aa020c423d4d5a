"""The page where a person makes and revokes their own API tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .models import ApiToken
from .tokens import create_token, revoke_token


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Namn"),
        max_length=100,
        help_text=gettext_lazy("Vad nyckeln används till, t.ex. Power BI eller ekonomisystemet."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Gäller till och med"),
        required=False,
        help_text=gettext_lazy("ÅÅÅÅ-MM-DD. Lämna tomt för en nyckel utan slutdatum."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@never_cache
@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = create_token(request.user, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": tokens,
            "breadcrumbs": [
                (_("Mitt konto"), reverse("accounts:account")),
                (_("API-nycklar"), None),
            ],
        },
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        revoke_token(token, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Nyckeln %(name)s är återkallad.") % {"name": token.name})
    return redirect("apikeys:tokens")
