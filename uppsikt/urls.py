from django.contrib import admin
from django.urls import include, path

from uppsikt.api.urls import api_urls
from uppsikt.portal.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),  # monitoring, see docs/operations.md
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
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
]

handler404 = "uppsikt.portal.views.page_not_found"
