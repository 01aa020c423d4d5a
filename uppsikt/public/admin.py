from django.contrib import admin

from uppsikt.audit.readonly_admin import ReadOnlyAdmin

from .models import KeyFigure


@admin.register(KeyFigure)
class KeyFigureAdmin(ReadOnlyAdmin):
    """Kept on the organisation's page for key figures (audited), never edited here."""

    list_display = ["organisation", "heading", "value", "text", "year", "position"]
    list_filter = ["organisation"]
