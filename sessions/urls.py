from django.urls import path

from . import views

app_name = "sessions"

S = "sessions/<int:pk>/"

urlpatterns = [
    path("sessions/", views.SessionListView.as_view(), name="session_list"),
    path("sessions/new/", views.SessionCreateView.as_view(), name="session_create"),
    path(S, views.SessionDetailView.as_view(), name="session_detail"),
    path(S + "edit/", views.SessionEditView.as_view(), name="session_edit"),
    path(S + "cancel/", views.SessionCancelView.as_view(), name="session_cancel"),
    path(S + "held/", views.SessionHeldView.as_view(), name="session_held"),
    path(S + "agenda/new/", views.AgendaItemCreateView.as_view(), name="agenda_item_create"),
    path(S + "agenda/reorder/", views.AgendaReorderView.as_view(), name="agenda_reorder"),
    path(
        S + "agenda/<int:item_pk>/edit/",
        views.AgendaItemEditView.as_view(),
        name="agenda_item_edit",
    ),
    path(
        S + "agenda/<int:item_pk>/delete/",
        views.AgendaItemDeleteView.as_view(),
        name="agenda_item_delete",
    ),
    path(
        S + "agenda/<int:item_pk>/move/",
        views.AgendaItemMoveView.as_view(),
        name="agenda_item_move",
    ),
    path(
        S + "agenda/<int:item_pk>/attachments/new/",
        views.AttachmentUploadView.as_view(),
        name="attachment_upload",
    ),
    path(
        S + "attachments/<int:attachment_pk>/delete/",
        views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path(
        "attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"
    ),
    path(S + "invitation/", views.InvitationSendView.as_view(), name="invitation_send"),
    path(
        S + "invitations/<int:revision>/",
        views.InvitationDetailView.as_view(),
        name="invitation_detail",
    ),
    path(
        S + "invitations/<int:revision>/pdf/",
        views.InvitationPdfView.as_view(),
        name="invitation_pdf",
    ),
    path(
        S + "deliveries/<int:delivery_pk>/",
        views.DeliveryDetailView.as_view(),
        name="delivery_detail",
    ),
    path(
        S + "deliveries/<int:delivery_pk>/resend/",
        views.DeliveryResendView.as_view(),
        name="delivery_resend",
    ),
    path(S + "attendance/", views.AttendanceView.as_view(), name="attendance"),
    path(S + "attendance/remind/", views.AttendanceRemindView.as_view(), name="attendance_remind"),
    path(S + "rsvp/", views.SessionRSVPView.as_view(), name="session_rsvp"),
    path(S + "proposals/new/", views.ProposalCreateView.as_view(), name="proposal_create"),
    path("proposals/", views.ProposalListView.as_view(), name="proposal_list"),
    path(S + "minutes/", views.MinutesView.as_view(), name="minutes"),
    path(S + "minutes/start/", views.MinutesStartView.as_view(), name="minutes_start"),
    path(S + "minutes/edit/", views.MinutesEditView.as_view(), name="minutes_edit"),
    path(
        S + "minutes/attendance/",
        views.MinutesAttendanceView.as_view(),
        name="minutes_attendance",
    ),
    path(S + "minutes/items/<int:item_pk>/", views.ItemRecordView.as_view(), name="item_record"),
    path(
        S + "minutes/items/<int:item_pk>/conclusions/new/",
        views.ConclusionCreateView.as_view(),
        name="conclusion_create",
    ),
    path(
        S + "minutes/conclusions/<int:conclusion_pk>/edit/",
        views.ConclusionEditView.as_view(),
        name="conclusion_edit",
    ),
    path(
        S + "minutes/conclusions/<int:conclusion_pk>/delete/",
        views.ConclusionDeleteView.as_view(),
        name="conclusion_delete",
    ),
    path(
        S + "minutes/conclusions/<int:conclusion_pk>/tasks/new/",
        views.TaskCreateView.as_view(),
        name="task_create",
    ),
    path(S + "minutes/approve/", views.MinutesApproveView.as_view(), name="minutes_approve"),
    path(S + "minutes/publish/", views.MinutesPublishView.as_view(), name="minutes_publish"),
    path(S + "minutes/reopen/", views.MinutesReopenView.as_view(), name="minutes_reopen"),
    path(S + "minutes/pdf/", views.MinutesPdfView.as_view(), name="minutes_pdf"),
    path(
        S + "minutes/versions/<int:version>/pdf/",
        views.MinutesVersionPdfView.as_view(),
        name="minutes_version_pdf",
    ),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/export.csv", views.TaskExportView.as_view(), name="task_export"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("proposals/<int:pk>/decide/", views.ProposalDecideView.as_view(), name="proposal_decide"),
]
