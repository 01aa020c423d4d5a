from django.contrib import admin

from .models import BudgetRow, BudgetTable, Figure


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0


@admin.register(BudgetTable)
class BudgetTableAdmin(admin.ModelAdmin):
    list_display = ["__str__", "unit", "year", "kind", "display_unit", "is_example"]
    list_filter = ["kind", "year"]


@admin.register(BudgetRow)
class BudgetRowAdmin(admin.ModelAdmin):
    list_display = ["label", "table", "kind", "position"]
    list_filter = ["kind"]
    inlines = [FigureInline]
