from django.contrib import admin

from .models import Organisation, OrganisationLogo, Unit, ValueBase, ValueStatement, Vision


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
    # Checked for contrast and file type by administration.actions.update_branding.
    readonly_fields = ["colour", "logo_version"]


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


@admin.register(OrganisationLogo)
class OrganisationLogoAdmin(admin.ModelAdmin):
    """Read-only: a logo is judged and audited by ``update_branding``, never changed here."""

    list_display = ["organisation", "content_type", "updated_at"]
    exclude = ["data"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
