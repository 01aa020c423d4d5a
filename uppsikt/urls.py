from django.contrib import admin
from django.urls import include, path

from uppsikt.api.urls import api_urls
from uppsikt.portal.health import healthz
from uppsikt.portal.views import choose_language

urlpatterns = [
    path("healthz", healthz, name="healthz"),  # monitoring, see docs/operations.md
    path("admin/", admin.site.urls),
    # Choosing a language sets a cookie only, so it takes no CSRF token (portal/views.py).
    path("i18n/setlang/", choose_language, name="set_language"),
    path("konto/", include("uppsikt.accounts.urls")),
    path("administration/", include("uppsikt.administration.urls")),
    path("api/v1/", api_urls),
    path("", include("uppsikt.api.urls")),
    path("", include("uppsikt.history.urls")),
    path("", include("uppsikt.jobs.urls")),
    path("", include("uppsikt.tasks.preference_urls")),
    path("", include("uppsikt.plans.urls")),
    path("", include("uppsikt.indicators.urls")),
    path("", include("uppsikt.kolada.urls")),
    path("", include("uppsikt.budget.urls")),
    path("", include("uppsikt.administration.branding_urls")),
    path("", include("uppsikt.organisations.urls")),
    path("", include("uppsikt.portal.urls")),
    path("", include("uppsikt.tasks.urls")),
    path("", include("uppsikt.control.urls")),
    path("", include("uppsikt.followup.urls")),
    path("", include("uppsikt.schedule.urls")),
    path("", include("uppsikt.reports.urls")),
    path("", include("uppsikt.feedback.urls")),
    path("", include("uppsikt.proposals.urls")),
    path("", include("uppsikt.public.urls")),
    path("", include("uppsikt.opendata.urls")),
]

handler404 = "uppsikt.portal.views.page_not_found"
