from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AgendaItem,
    AgendaProposal,
    Attachment,
    AttendanceRecord,
    Conclusion,
    Delivery,
    Invitation,
    Invitee,
    ItemRecord,
    Minutes,
    MinutesVersion,
    Session,
    Task,
    TaskNote,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "kind", "is_public", "standing"]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "council", "date", "start_time", "status"]
    list_filter = ["status", "council"]
    date_hierarchy = "date"
    search_fields = ["place", "notes", "council__name"]
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "session", "position", "kind", "is_public"]
    list_filter = ["kind", "is_public", "session__council"]
    search_fields = ["title"]
    raw_id_fields = ["session", "presenter", "presenter_organisation", "proposed_by"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "council", "content_type", "size", "uploaded"]
    list_filter = ["council", "content_type"]
    raw_id_fields = ["agenda_item", "proposal", "uploaded_by"]


@admin.register(Invitee)
class InviteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "email", "session", "kind", "response", "is_active"]
    list_filter = ["kind", "response", "is_active"]
    search_fields = ["name", "email"]
    raw_id_fields = ["session", "person", "substitute_for"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Official records: viewable in admin, never edited there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["session", "revision", "kind", "sequence", "created"]
    list_filter = ["kind"]
    exclude = ["pdf"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["to_email", "purpose", "status", "attempts", "sent_at", "council"]
    list_filter = ["status", "purpose", "council"]
    search_fields = ["to_email", "key", "message_id"]


@admin.register(AgendaProposal)
class AgendaProposalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "session", "proposer", "status", "created"]
    list_filter = ["status", "council"]
    search_fields = ["title"]
    raw_id_fields = ["session", "proposer", "organisation", "moved_to", "agenda_item"]


class AttendanceInline(admin.TabularInline):
    model = AttendanceRecord
    extra = 0


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ["session", "status", "approved_on", "approved_at_session"]
    list_filter = ["status", "session__council"]
    raw_id_fields = ["session", "chair", "recorder", "approved_at_session"]
    inlines = [AttendanceInline]


@admin.register(ItemRecord)
class ItemRecordAdmin(SimpleHistoryAdmin):
    list_display = ["agenda_item", "minutes"]
    raw_id_fields = ["agenda_item", "minutes"]


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(SimpleHistoryAdmin):
    list_display = ["name", "presence", "minutes"]
    list_filter = ["presence"]
    raw_id_fields = ["minutes", "person"]


@admin.register(MinutesVersion)
class MinutesVersionAdmin(ReadOnlyAdmin):
    list_display = ["minutes", "number", "approved_on", "pdf_sha256", "published_at", "reopened_at"]
    exclude = ["pdf"]


@admin.register(Conclusion)
class ConclusionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "session", "is_public"]
    list_filter = ["is_public", "council"]
    search_fields = ["text"]
    raw_id_fields = ["session", "agenda_item"]


class TaskNoteInline(admin.TabularInline):
    model = TaskNote
    extra = 0


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "council", "responsible_person", "due_date", "status"]
    list_filter = ["status", "council"]
    search_fields = ["title"]
    raw_id_fields = ["conclusion", "responsible_person", "responsible_organisation"]
    inlines = [TaskNoteInline]


@admin.register(TaskNote)
class TaskNoteAdmin(admin.ModelAdmin):
    list_display = ["task", "date", "status", "author"]
    list_filter = ["status"]
    raw_id_fields = ["task", "author"]
