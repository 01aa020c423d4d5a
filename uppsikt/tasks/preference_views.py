"""The signed-in person's page for how they are reminded of their tasks."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .actions import mode_of, set_preference
from .models import ReminderPreference


@login_required
def preference(request):
    mode = mode_of(request.user)
    error = ""
    if request.method == "POST":
        chosen = request.POST.get("mode", "")
        try:
            set_preference(request.user, chosen, actor=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Ditt val av påminnelser sparades."))
            return redirect("reminders:preference")
    return render(
        request,
        "tasks/reminder_preference.html",
        {
            "mode": mode,
            "modes": ReminderPreference.Mode.choices,
            "error": error,
            "email": request.user.email,
            "days_before": settings.REMINDER_DAYS_BEFORE,
            "breadcrumbs": [
                (_("Mitt konto"), reverse("accounts:account")),
                (_("Påminnelser"), None),
            ],
        },
        status=400 if error else 200,
    )
