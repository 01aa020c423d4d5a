from django.urls import path

from .views import imports, planning, tables

app_name = "budget"
urlpatterns = [
    path("budget/<int:pk>/", tables.table_detail, name="table"),
    path("budget/<int:pk>.xlsx", tables.table_xlsx, name="table_xlsx"),
    path("budget/rad/<int:pk>/", tables.row_detail, name="row"),
    path("budget/rad/<int:pk>/belopp/", planning.figure_edit, name="figure_edit"),
    path("budget/enhet/<str:code>/<slug:slug>/", tables.unit_tables, name="unit"),
    path("budget/<int:pk>/importera/", imports.import_upload, name="import_upload"),
    path(
        "budget/<int:pk>/importmall.<str:fmt>",
        imports.import_template,
        name="import_template",
    ),
    path("budget/import/<int:pk>/", imports.import_detail, name="import"),
    path("budget/import/<int:pk>/las-in/", imports.import_apply, name="import_apply"),
    path("budget/<int:pk>/nasta-ar/", planning.frame, name="frame"),
    path("budget/<int:pk>/omfordela/", planning.reallocate, name="reallocate"),
    path("budget/<int:pk>/mappning/", planning.mapping, name="mapping"),
    path(
        "budget/<int:pk>/mappning/<int:rule_pk>/ta-bort/",
        planning.mapping_delete,
        name="mapping_delete",
    ),
    path("budget/<int:pk>/faststall/", planning.settle, name="settle"),
    path("budget/<int:pk>/ta-bort/", planning.delete_draft, name="delete_draft"),
]
