from django.urls import path

from .views import answers, reports, statement

app_name = "feedback"
urlpatterns = [
    path("tillganglighet/", statement.statement, name="statement"),
    path("tillganglighet/andra/", statement.edit_statement, name="statement_edit"),
    path("tillganglighet/rapportera/", reports.report, name="report"),
    path("tillganglighet/rapportera/kvitto/<str:token>/", reports.receipt, name="receipt"),
    path("tillganglighet/rapporter/", reports.reports, name="reports"),
    path(
        "tillganglighet/rapporter/<int:pk>/hanterad/",
        reports.report_handled,
        name="report_handled",
    ),
    path("synpunkter/", answers.summary, name="summary"),
    path("synpunkter/svar/", answers.answer, name="answer"),
    path("synpunkter/tack/<str:token>/", answers.thanks, name="thanks"),
]
