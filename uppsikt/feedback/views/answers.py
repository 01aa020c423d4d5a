""" "Hade du nytta av innehållet på denna sida?": the answer, the thanks with the optional
comment, and the summary for administrators.

The question is part of every public page, and those pages are kept in the public pages
cache and served to everyone alike. So the page itself never changes with an answer: the
Ja/Nej form posts here, and the visitor is sent on (303) to a small thanks page of their own,
at a signed address only they have, answered ``Cache-Control: private, no-store`` and never
kept. No one else ever sees a thanks, or a comment, on a public page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from uppsikt.lib.typing import AuthenticatedRequest

from ..actions import add_comment, record_answer
from ..forms import CommentForm
from ..models import PageAnswer
from ..pages import public_page
from ..queries import summary as page_summary
from ..throttle import refused

ANSWER_SALT = "uppsikt.feedback.answer"
COMMENT_HOURS = 2  # how long the thanks page takes a comment
ANSWERS = {"ja": True, "nej": False}


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _bad_answer(request: HttpRequest, message: str) -> HttpResponse:
    return _private(
        public_page(request, "feedback/answer_refused.html", {"message": message}, status=400)
    )


@csrf_exempt
@require_POST
def answer(request: HttpRequest) -> HttpResponse:
    """Record Ja or Nej for the page named in ``sida`` and send the visitor to their thanks.

    Exempt from CSRF on purpose: the question is answered anonymously on cached public
    pages, which can carry no token; a forged post could only add one anonymous answer,
    which anyone may do, with no one's credentials at stake, and answers are rate-limited
    per address (``FEEDBACK_RATE_PER_ADDRESS``)."""
    too_many = refused(request, "page-answer", settings.FEEDBACK_RATE_PER_ADDRESS)
    if too_many is not None:
        return too_many
    useful = ANSWERS.get(request.POST.get("svar", ""))
    if useful is None:
        return _bad_answer(request, _("Svara Ja eller Nej på frågan."))
    try:
        stored = record_answer(path=request.POST.get("sida", ""), useful=useful)
    except ValidationError as error:
        return _bad_answer(request, " ".join(error.messages))
    token = signing.dumps(stored.pk, salt=ANSWER_SALT)
    return redirect("feedback:thanks", token, permanent=False)


def _answer_of(token: str) -> PageAnswer:
    try:
        pk = signing.loads(token, salt=ANSWER_SALT, max_age=COMMENT_HOURS * 3600)
    except signing.BadSignature:
        raise Http404(_("Svaret finns inte, eller länken är för gammal.")) from None
    return get_object_or_404(PageAnswer, pk=pk)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    """Thanks, and a box for a comment (once). Exempt from CSRF for the reasons given on
    ``answer``; only the holder of the signed address can comment, within two hours."""
    found = _answer_of(token)
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        too_many = refused(request, "page-answer", settings.FEEDBACK_RATE_PER_ADDRESS)
        if too_many is not None:
            return too_many
        if found.commented_at is not None:  # once only; the page says it is received
            return redirect("feedback:thanks", token)
        if form.is_valid():
            try:
                add_comment(found, form.cleaned_data["comment"])
            except ValidationError as error:
                form.add_error("comment", error)
            else:
                return redirect("feedback:thanks", token)
        status = 400
    context = {"answer": found, "form": form, "back": found.path}
    return _private(public_page(request, "feedback/thanks.html", context, status=status))


@login_required
def summary(request: AuthenticatedRequest) -> HttpResponse:
    """Per page, how many answered Ja and Nej and the latest comments."""
    return render(
        request,
        "feedback/summary.html",
        {"summaries": page_summary(request.user), "breadcrumbs": [(_("Synpunkter"), None)]},
    )
