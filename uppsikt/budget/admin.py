"""Admin: budget tables, rows and figures are read-only here, since every change must pass the
tree checks and the audit trail (use the budget pages or ``uppsikt import_budget``).
Mapping rules are edited here through the same action as the pages."""

from django import forms
from django.contrib import admin

from . import actions
from .models import BudgetImport, BudgetRow, BudgetTable, Figure, MappingRule, Reallocation


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0
    fields = readonly_fields = ("kind", "year", "period", "amount", "is_example", "source")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BudgetTable)
class BudgetTableAdmin(ReadOnly):
    list_display = ["__str__", "unit", "year", "kind", "status", "display_unit", "is_example"]
    list_filter = ["kind", "year", "status"]


@admin.register(BudgetRow)
class BudgetRowAdmin(ReadOnly):
    list_display = ["label", "code", "table", "kind", "position"]
    list_filter = ["kind"]
    inlines = [FigureInline]


@admin.register(Reallocation)
class ReallocationAdmin(ReadOnly):
    list_display = ["table", "from_row", "to_row", "amount", "made_by_name", "made_at"]


@admin.register(BudgetImport)
class BudgetImportAdmin(ReadOnly):
    list_display = ["file_name", "table", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]


class MappingRuleForm(forms.ModelForm):
    class Meta:
        model = MappingRule
        fields = [
            "table",
            "row",
            "account_from",
            "account_to",
            "dimension",
            "object_code",
            "flip_sign",
            "position",
            "note",
        ]

    def clean(self):
        data = super().clean()
        if not self.errors:
            rule = self.instance
            for name, value in data.items():
                setattr(rule, name, value)
            actions.check_mapping_rule(rule)  # its ValidationError shows on the form
        return data


@admin.register(MappingRule)
class MappingRuleAdmin(admin.ModelAdmin):
    form = MappingRuleForm
    list_display = ["__str__", "table", "account_from", "account_to", "dimension", "object_code"]
    list_filter = ["table"]
    fields = ["table", "row", "account_from", "account_to", "dimension", "object_code"]
    fields += ["flip_sign", "position", "note"]

    def save_model(self, request, obj, form, change) -> None:
        actions.save_mapping_rule(obj, actor=request.user)

    def delete_model(self, request, obj) -> None:
        actions.delete_mapping_rule(obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for rule in queryset:
            actions.delete_mapping_rule(rule, actor=request.user)


@admin.register(Figure)
class FigureAdmin(ReadOnly):
    list_display = ["row", "kind", "year", "period", "amount", "is_example"]
    list_filter = ["kind", "year", "is_example"]
