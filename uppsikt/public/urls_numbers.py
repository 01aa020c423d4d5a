"""The number pages of one organisation's public site (``views_numbers``), included by
``urls.py`` under the site's namespace."""

from django.urls import path

from . import views_numbers

ORGANISATION = "insyn/<str:code>/"
urlpatterns = [
    path(ORGANISATION + "indikatorer/", views_numbers.indicators, name="indicators"),
    path(ORGANISATION + "indikatorer/<int:pk>/", views_numbers.indicator, name="indicator"),
    path(ORGANISATION + "ekonomi/", views_numbers.budget, name="budget"),
    path(ORGANISATION + "rapporter/", views_numbers.reports, name="reports"),
]
