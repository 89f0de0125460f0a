"""The public pages and feeds (no sign-in), namespace ``public``, mounted at /javno/.

Every URL with a council answers 404 unless that council's public page is published.
"""

from django.urls import path

from reports import public_views as report_views
from sessions import public_views as session_views

from . import public_views
from .public_feeds import CouncilFeed

app_name = "public"

C = "<slug:council_slug>/"

urlpatterns = [
    path("", public_views.IndexView.as_view(), name="index"),
    path(C, public_views.CouncilPageView.as_view(), name="council"),
    path(C + "seje/<int:pk>/", session_views.SessionPageView.as_view(), name="session"),
    path(C + "porocila/<int:year>/", report_views.ReportPageView.as_view(), name="report"),
    path(C + "porocila/<int:year>/pdf/", report_views.ReportPdfView.as_view(), name="report_pdf"),
    path(C + "koledar.ics", session_views.CalendarView.as_view(), name="calendar"),
    path(C + "novice.atom", CouncilFeed(), name="feed"),
]
