"""Pages for an entry's attachments: list and upload, remove (after a confirmation), download.

Everyone who may read the unit's follow-up sees and downloads the files; the upload form
and the removal are for those ``actions.attachments.may_attach`` lets change them. Files
are sent as attachments with the type judged when they came in, never shown inline.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.lib.filetypes import allowed_text
from uppsikt.lib.limits import size_text

from .actions.attachments import add_attachment, max_bytes, may_attach, remove_attachment
from .attachments import Attachment
from .models import FollowUp
from .views import _crumbs, _period, _unit


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Fil att bifoga"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Tillåtna filtyper: %(allowed)s. Högst %(limit)s. Filens typ avgörs av dess "
            "innehåll, inte av filnamnet."
        ) % {"allowed": allowed_text(), "limit": size_text(max_bytes())}


def _entry(request, code: str, slug: str, unit_slug: str, entry_id: int) -> FollowUp:
    """The entry, if the visitor may read the unit's follow-up (else 404)."""
    period = _period(request, code, slug)
    unit = _unit(request, period, unit_slug)
    return get_object_or_404(
        FollowUp.objects.select_related("period__organisation", "unit"),
        pk=entry_id,
        period=period,
        unit=unit,
    )


def _attachment(request, code, slug, unit_slug, attachment_id) -> Attachment:
    period = _period(request, code, slug)
    unit = _unit(request, period, unit_slug)
    return get_object_or_404(
        Attachment.objects.select_related("entry__period__organisation", "entry__unit"),
        pk=attachment_id,
        entry__period=period,
        entry__unit=unit,
    )


def _back(entry: FollowUp) -> str:
    return reverse(
        "followup:attachments",
        args=[entry.period.organisation.code, entry.period.slug, entry.unit.slug, entry.pk],
    )


@login_required
def attachments(request, code: str, slug: str, unit_slug: str, entry_id: int):
    entry = _entry(request, code, slug, unit_slug, entry_id)
    allowed = may_attach(request.user, entry)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                attachment = add_attachment(
                    entry, upload, name=upload.name, actor=request.user, size=upload.size
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                messages.success(request, _("Bilagan %(name)s är tillagd.") % {"name": attachment})
                return redirect(_back(entry))
    unit_page = reverse("followup:unit", args=[code, slug, unit_slug])
    crumbs = _crumbs(entry.period.organisation, entry.period, entry.unit)
    crumbs[-1] = (crumbs[-1][0], unit_page)
    crumbs.append((_("Bilagor"), None))
    return render(
        request,
        "followup/attachments.html",
        {
            "entry": entry,
            "target": entry.target,
            "files": entry.attachments.select_related("uploaded_by"),
            "form": form if allowed else None,
            "may_attach": allowed,
            "unit_page": unit_page,
            "breadcrumbs": crumbs,
        },
    )


@login_required
def attachment_remove(request, code: str, slug: str, unit_slug: str, attachment_id: int):
    attachment = _attachment(request, code, slug, unit_slug, attachment_id)
    entry = attachment.entry
    if not may_attach(request.user, entry) and request.method != "POST":
        raise PermissionDenied  # the action says why on a POST
    if request.method == "POST":
        try:
            remove_attachment(attachment, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Bilagan %(name)s är borttagen.") % {"name": attachment})
        return redirect(_back(entry))
    crumbs = _crumbs(entry.period.organisation, entry.period, entry.unit)
    crumbs[-1] = (crumbs[-1][0], reverse("followup:unit", args=[code, slug, unit_slug]))
    crumbs.append((_("Bilagor"), _back(entry)))
    crumbs.append((_("Ta bort"), None))
    return render(
        request,
        "followup/attachment_remove.html",
        {"attachment": attachment, "back": _back(entry), "breadcrumbs": crumbs},
    )


@login_required
def attachment_download(request, code: str, slug: str, unit_slug: str, attachment_id: int):
    attachment = _attachment(request, code, slug, unit_slug, attachment_id)
    try:
        stream = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


ENTRY = "uppfoljning/<str:code>/<slug:slug>/<slug:unit_slug>/bilagor/"
urlpatterns = [
    path(ENTRY + "<int:entry_id>/", attachments, name="attachments"),
    path(ENTRY + "fil/<int:attachment_id>/", attachment_download, name="attachment"),
    path(ENTRY + "fil/<int:attachment_id>/ta-bort/", attachment_remove, name="attachment_remove"),
]
