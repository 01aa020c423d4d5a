"""The organisation's profile page: its colour and logo (``branding_actions``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.accounts.access import Perm, require_on_organisation, units_with
from uppsikt.lib.uploads import UploadField
from uppsikt.organisations.models import Organisation

from .branding_actions import update_branding


class BrandingForm(forms.Form):
    colour = forms.CharField(
        label=gettext_lazy("Profilfärg"),
        required=False,
        max_length=7,
        help_text=gettext_lazy(
            "Som #rrggbb, t.ex. #1f4e79. Färgen ligger bakom vit text och behöver kontrast "
            "minst 4,5:1. Lämna tomt för standardutseendet."
        ),
    )
    logo = UploadField(
        label=gettext_lazy("Logotyp"),
        required=False,
        help_text=gettext_lazy("En PNG- eller JPEG-bild på högst 512 kB."),  # MAX_LOGO_BYTES
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=gettext_lazy("Ta bort logotypen"), required=False)


def profile_panel(organisation: Organisation, user) -> dict | None:
    """The organisation page's link to its profile, for its administrators only."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        require_on_organisation(user, Perm.ADMIN, organisation.pk)
    except PermissionDenied:
        return None
    return {"organisation": organisation}


def _organisation(request, code: str) -> Organisation:
    """The organisation, for its administrators (403 for its other readers, else 404)."""
    organisation = get_object_or_404(Organisation, code=code)
    readable = units_with(request.user, Perm.VIEW)
    if not any(unit in readable for unit in organisation.units.values_list("pk", flat=True)):
        raise Http404
    require_on_organisation(request.user, Perm.ADMIN, organisation.pk)
    return organisation


@login_required
def profile(request, code: str):
    organisation = _organisation(request, code)
    form = BrandingForm(
        request.POST or None, request.FILES or None, initial={"colour": organisation.colour}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["logo"]
        logo = b"" if form.cleaned_data["remove_logo"] else (upload.read() if upload else None)
        try:
            update_branding(
                organisation, actor=request.user, colour=form.cleaned_data["colour"], logo=logo
            )
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                for message in messages_:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request, _("Profilen för %(name)s är sparad.") % {"name": organisation}
            )
            return redirect("branding:profile", organisation.code)
    return render(
        request,
        "administration/branding.html",
        {
            "organisation": organisation,
            "form": form,
            "breadcrumbs": [
                (organisation.name, organisation.get_absolute_url()),
                (_("Profil"), None),
            ],
        },
    )
