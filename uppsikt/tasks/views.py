"""Att göra: the signed-in person's tasks, grouped by kind, with a filter (a GET form)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import listing
from .registry import KINDS


@login_required
def todo(request):
    found = listing.rows(request.user)
    kind = request.GET.get("typ", "")
    if kind not in KINDS:
        kind = ""
    late_only = request.GET.get("forsenade") == "1"
    shown = listing.filtered(found, kind, late_only)
    return render(
        request,
        "tasks/todo.html",
        {
            "groups": listing.grouped(shown),
            "total": len(found),
            "shown": len(shown),
            "late": sum(1 for row in found if row.overdue),
            "kinds": [(key, str(label)) for key, label in KINDS.items()],
            "kind": kind,
            "late_only": late_only,
            "filtered": bool(kind or late_only),
        },
    )
