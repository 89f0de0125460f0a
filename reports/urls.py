from django.urls import path

from . import views

app_name = "reports"

R = "reports/<int:year>/"

urlpatterns = [
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/new/", views.ReportCreateView.as_view(), name="report_create"),
    path(R, views.ReportDetailView.as_view(), name="report_detail"),
    path(R + "edit/", views.ReportEditView.as_view(), name="report_edit"),
    path(R + "preview/", views.ReportPreviewView.as_view(), name="report_preview"),
    path(R + "pdf/", views.ReportPdfView.as_view(), name="report_pdf"),
    path(
        R + "revisions/<int:number>/pdf/",
        views.RevisionPdfView.as_view(),
        name="revision_pdf",
    ),
    path(R + "adopt/", views.ReportAdoptView.as_view(), name="report_adopt"),
    path(R + "publish/", views.ReportPublishView.as_view(), name="report_publish"),
    path(R + "correct/", views.ReportReopenView.as_view(), name="report_reopen"),
    path(
        R + "plan/sessions/",
        views.PlanSessionsCreateView.as_view(),
        name="plan_sessions_create",
    ),
]
