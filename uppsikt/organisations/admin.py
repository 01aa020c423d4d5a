from django.contrib import admin

from .models import Organisation, Unit, ValueBase, ValueStatement, Vision


class UnitInline(admin.TabularInline):
    model = Unit
    fields = ["name", "slug", "kind", "parent", "position"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "county_code"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "parent"]
    list_filter = ["kind", "organisation"]
    search_fields = ["name", "slug"]
    list_select_related = ["organisation", "parent"]


@admin.register(Vision)
class VisionAdmin(admin.ModelAdmin):
    list_display = ["text", "organisation", "decided_on", "decided_by"]


class ValueStatementInline(admin.TabularInline):
    model = ValueStatement
    extra = 0


@admin.register(ValueBase)
class ValueBaseAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "year"]
    inlines = [ValueStatementInline]


admin.site.register(ValueStatement)
