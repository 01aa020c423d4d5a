"""The accessibility statement: read by anyone (kept in the public pages cache), changed by
the installation's administrator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.access import administers_installation
from uppsikt.lib.pagecache import cache_public
from uppsikt.lib.typing import AuthenticatedRequest

from ..actions import save_statement
from ..forms import StatementForm
from ..pages import public_page
from ..queries import may_read_answers
from ..queries import statement as current_statement

DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"
DOS_LAW_URL = (
    "https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/"
    "lag-20181937-om-tillganglighet-till-digital_sfs-2018-1937/"
)


def lines(text: str) -> list[str]:
    """A text kept one item a line, as the items of a list."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@cache_public
def statement(request: HttpRequest) -> HttpResponse:
    """The statement, for everyone. Signed-in administrators also see their links (their
    pages are never kept: ``lib/pagecache.py``)."""
    found = current_statement()
    return public_page(
        request,
        "feedback/statement.html",
        {
            "statement": found,
            "non_compliant": lines(found.non_compliant) if found else [],
            "disproportionate": lines(found.disproportionate) if found else [],
            "out_of_scope": lines(found.out_of_scope) if found else [],
            "digg_url": DIGG_REPORT_URL,
            "law_url": DOS_LAW_URL,
            "may_edit": administers_installation(request.user),
            "may_read_answers": may_read_answers(request.user),
        },
    )


@login_required
def edit_statement(request: AuthenticatedRequest) -> HttpResponse:
    if not administers_installation(request.user):
        raise PermissionDenied(
            _("Bara installationens administratör kan ändra tillgänglighetsredogörelsen.")
        )
    form = StatementForm(request.POST or None, instance=current_statement())
    if request.method == "POST" and form.is_valid():
        try:
            save_statement(form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Tillgänglighetsredogörelsen är sparad."))
            return redirect("feedback:statement")
    return render(
        request,
        "feedback/statement_edit.html",
        {
            "form": form,
            "breadcrumbs": [
                (_("Tillgänglighetsredogörelse"), reverse("feedback:statement")),
                (_("Ändra"), None),
            ],
        },
    )
