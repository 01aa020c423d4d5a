"""Pages of the review dialogue and copy forward (``actions.dialogue``, ``actions.carry``).

- an entry's page: its text, its thread with the comment form, its earlier texts;
- an earlier text compared with the current one;
- the unit's report thread (the form on the unit page posts here, and errors show here);
- "Hämta texter från förra perioden" (POST only).

Every page needs VIEW on the unit (else 404, as the rest of the app); the forms are plain
POST forms that work without JavaScript.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from .actions import carry, dialogue
from .actions.entries import may_edit_entry
from .models import FollowUp
from .revisions import earlier_texts, revisions_of
from .scope import in_scope
from .text import comment_as_text
from .views import _crumbs, _period, _unit

UNIT = "uppfoljning/<str:code>/<slug:slug>/<slug:unit_slug>/"


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Kommentar"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy(
            "Stycken skiljs åt med en tomrad; rader som börjar med ”- ” blir en punktlista."
        ),
    )


def _entry(request, code: str, slug: str, unit_slug: str, entry_id: int):
    period = _period(request, code, slug)
    unit = _unit(request, period, unit_slug)
    entry = get_object_or_404(
        FollowUp.objects.select_related("content_type", "copied_from", "responsible"),
        pk=entry_id,
        period=period,
        unit=unit,
    )
    return period, unit, entry


def entry_title(entry: FollowUp) -> tuple[str, str]:
    """(kind label, title) as the unit's form shows the entry's object."""
    for item in in_scope(entry.unit, entry.period):
        if item.key == (entry.content_type_id, entry.object_id, entry.unit_id):
            return item.kind_label, item.title
    target = entry.target
    return str(entry.content_type.name).capitalize(), str(target) if target else ""


def _unit_url(period, unit) -> str:
    return reverse("followup:unit", args=[period.organisation.code, period.slug, unit.slug])


def _unit_crumbs(period, unit, *more: tuple[str, str | None]):
    """The app's crumbs down to the unit's follow-up (a link), then ``more``."""
    crumbs = _crumbs(period.organisation, period, unit)
    crumbs[-1] = (unit.name, _unit_url(period, unit))
    return [*crumbs, *more]


def reverse_entry(period, unit, entry_id) -> str:
    return reverse(
        "followup:entry", args=[period.organisation.code, period.slug, unit.slug, entry_id]
    )


def _refuse_early(user, period, unit) -> None:
    """Who may post is settled before the form is read: 403 saying why (``ensure_may_post``);
    a closed period is refused by the action, on the form."""
    if not dialogue.may_post(user, unit.pk):
        dialogue.ensure_may_post(user, period, unit.pk)


def _post_comment(request, form, save) -> bool:
    """Run ``save(text)`` for a valid form; a refusal goes on the form. True when saved."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data["text"])
    except ValidationError as error:
        for message in error.messages:
            form.add_error("text", message)
        return False
    messages.success(request, _("Kommentaren är sparad."))
    return True


@login_required
def entry_page(request, code: str, slug: str, unit_slug: str, entry_id: int):
    period, unit, entry = _entry(request, code, slug, unit_slug, entry_id)
    may_post = dialogue.may_post_now(request.user, period, unit.pk)
    form = CommentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _refuse_early(request.user, period, unit)
        saved = _post_comment(
            request,
            form,
            lambda text: dialogue.comment_on_entry(entry, actor=request.user, text=text),
        )
        if saved:
            return redirect(request.path + "#dialog")
    kind_label, title = entry_title(entry)
    return render(
        request,
        "followup/entry_dialogue.html",
        {
            "period": period,
            "unit": unit,
            "entry": entry,
            "kind_label": kind_label,
            "title": title,
            "thread": dialogue.entry_thread(entry),
            "form": form if may_post or form.errors else None,
            "earlier": earlier_texts(entry),
            "may_edit": may_edit_entry(request.user, period, unit.pk, entry),
            "unit_url": _unit_url(period, unit),
            "breadcrumbs": _unit_crumbs(period, unit, (f"{kind_label} {title}"[:80], None)),
        },
    )


@login_required
def compare_page(request, code: str, slug: str, unit_slug: str, entry_id: int, sequence: int):
    period, unit, entry = _entry(request, code, slug, unit_slug, entry_id)
    revisions = revisions_of(entry)
    chosen = next((r for r in revisions if r.sequence == sequence), None)
    if chosen is None:
        raise Http404
    kind_label, title = entry_title(entry)
    crumbs = _unit_crumbs(
        period,
        unit,
        (f"{kind_label} {title}"[:80], reverse_entry(period, unit, entry.pk)),
        (_("Jämför texter"), None),
    )
    return render(
        request,
        "followup/entry_compare.html",
        {
            "period": period,
            "unit": unit,
            "entry": entry,
            "kind_label": kind_label,
            "title": title,
            "chosen": chosen,
            "chosen_text": comment_as_text(chosen.text),
            "current_text": comment_as_text(entry.comment),
            "same": chosen.text == entry.comment,
            "others": [r for r in reversed(revisions) if r.text != entry.comment],
            "breadcrumbs": crumbs,
        },
    )


@login_required
def report_dialogue(request, code: str, slug: str, unit_slug: str):
    period = _period(request, code, slug)
    unit = _unit(request, period, unit_slug)
    may_post = dialogue.may_post_now(request.user, period, unit.pk)
    form = CommentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _refuse_early(request.user, period, unit)
        saved = _post_comment(
            request,
            form,
            lambda text: dialogue.comment_on_report(unit, period, actor=request.user, text=text),
        )
        if saved:
            return redirect(_unit_url(period, unit) + "#rapportdialog")
    crumbs = _unit_crumbs(period, unit, (_("Dialog om rapporten"), None))
    return render(
        request,
        "followup/report_dialogue.html",
        {
            "period": period,
            "unit": unit,
            "thread": dialogue.report_thread(unit, period),
            "form": form if may_post or form.errors else None,
            "unit_url": _unit_url(period, unit),
            "breadcrumbs": crumbs,
        },
    )


@login_required
@require_POST
def copy_forward(request, code: str, slug: str, unit_slug: str):
    period = _period(request, code, slug)
    unit = _unit(request, period, unit_slug)
    try:
        result = carry.copy_forward(unit, period, actor=request.user)
    except ValidationError as error:  # a refusal (PermissionDenied) is a 403 page
        for message in error.messages:
            messages.error(request, message)
        return redirect(_unit_url(period, unit))
    messages.success(request, carry_message(result))
    return redirect(_unit_url(period, unit))


def carry_message(result: carry.CarryResult) -> str:
    count = len(result.copied)
    if count:
        text = ngettext(
            "%(count)s text hämtades från förra perioden. Den är markerad som kopierad tills "
            "någon ändrar den.",
            "%(count)s texter hämtades från förra perioden. De är markerade som kopierade "
            "tills någon ändrar dem.",
            count,
        ) % {"count": count}
    else:
        text = _("Det fanns inga texter att hämta från förra perioden.")
    if result.not_yours:
        text += " " + ngettext(
            "%(count)s uppföljning utan text är tilldelad någon annan och lämnades orörd.",
            "%(count)s uppföljningar utan text är tilldelade någon annan och lämnades orörda.",
            result.not_yours,
        ) % {"count": result.not_yours}
    return text


urlpatterns = [
    path(UNIT + "post/<int:entry_id>/", entry_page, name="entry"),
    path(UNIT + "post/<int:entry_id>/jamfor/<int:sequence>/", compare_page, name="compare"),
    path(UNIT + "dialog/", report_dialogue, name="report_dialogue"),
    path(UNIT + "hamta-texter/", copy_forward, name="copy_forward"),
]
