"""An organisation's Kolada sync page: its settings, "Synka nu" and the runs so far."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from uppsikt.organisations.models import Organisation

from .models import SyncRun, SyncSettings
from .sync import (
    last_success,
    linked_definitions,
    may_sync,
    require_sync_right,
    settings_for,
    sync_organisations,
    update_settings,
)
from .tasks import start_sync


class SettingsForm(forms.Form):
    comparison = forms.ChoiceField(
        label=gettext_lazy("Jämför med"),
        choices=SyncSettings.Comparison.choices,
        help_text=gettext_lazy("Organisationens egna värden och Rikets hämtas alltid."),
    )
    scheduled = forms.BooleanField(
        label=gettext_lazy("Synka automatiskt enligt schemat"), required=False
    )


class StartForm(forms.Form):
    full = forms.BooleanField(
        label=gettext_lazy("Hämta alla värden på nytt, inte bara ändringarna"), required=False
    )


def sync_panel(organisation: Organisation, user) -> dict | None:
    """The organisation page's link to its sync page, for those who may sync."""
    if not getattr(user, "is_authenticated", False) or not may_sync(user, organisation):
        return None
    return {"organisation": organisation, "last": last_success(organisation)}


def _organisation(request, code: str) -> Organisation:
    organisation = get_object_or_404(Organisation, code=code)
    require_sync_right(request.user, organisation)
    return organisation


@login_required
def sync_page(request, code: str):
    organisation = _organisation(request, code)
    current = settings_for(organisation)
    form = SettingsForm(
        request.POST or None,
        initial={"comparison": current.comparison, "scheduled": current.scheduled},
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_settings(organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Inställningarna för Kolada-synken är sparade."))
            return redirect("kolada:sync", organisation.code)
    runs = SyncRun.objects.filter(organisation=organisation).select_related("batch", "started_by")[
        :20
    ]
    return render(
        request,
        "kolada/sync.html",
        {
            "organisation": organisation,
            "form": form,
            "start_form": StartForm(),
            "runs": runs,
            "kpis": sorted({d.source_code.upper() for d in linked_definitions()}),
            "organisations": len(sync_organisations(organisation)),
            "breadcrumbs": [
                (organisation.name, organisation.get_absolute_url()),
                (_("Kolada-synk"), None),
            ],
        },
    )


@login_required
@require_POST
def start(request, code: str):
    organisation = _organisation(request, code)
    form = StartForm(request.POST)
    full = form.is_valid() and form.cleaned_data["full"]
    try:
        job = start_sync(organisation, actor=request.user, full=full)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("kolada:sync", organisation.code)
    return redirect(job)
