from django.urls import path  # noqa: F401

app_name = "public"
# The public site lives under /insyn/: /insyn/ lists the organisations, /insyn/<code>/ is
# one organisation's site and its pages sit beneath it.
urlpatterns: list = []
