from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AnnualReport, PlannedSession, PlannedTopic, ReportRevision


class ReadOnlyAdmin(admin.ModelAdmin):
    """Official records: viewable in admin, never added, edited or deleted there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DraftOnlyInlineMixin:
    """Plan rows change with their report: never once it is adopted."""

    def _report_is_draft(self, obj) -> bool:
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return self._report_is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._report_is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._report_is_draft(obj) and super().has_delete_permission(request, obj)


class PlannedSessionInline(DraftOnlyInlineMixin, admin.TabularInline):
    model = PlannedSession
    extra = 0
    fields = ["number", "month", "note", "session"]
    raw_id_fields = ["session"]


class PlannedTopicInline(DraftOnlyInlineMixin, admin.TabularInline):
    model = PlannedTopic
    extra = 0
    fields = ["kind", "text", "month", "organisation"]
    raw_id_fields = ["organisation"]


class ReportRevisionInline(admin.TabularInline):
    model = ReportRevision
    extra = 0
    fields = ["number", "adopted_on", "adopted_at_session", "sha256", "size", "published_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf", "snapshot")


@admin.register(AnnualReport)
class AnnualReportAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "council", "year", "status", "adopted_on", "published_at"]
    list_filter = ["status", "council"]
    search_fields = ["council__name", "intro_text", "conclusion_text"]
    raw_id_fields = ["council", "adopted_at_session"]
    readonly_fields = ["status", "adopted_on", "adopted_at_session", "published_at"]
    inlines = [PlannedSessionInline, PlannedTopicInline, ReportRevisionInline]

    def has_change_permission(self, request, obj=None):
        # An adopted report changes only through a correction on the reports page.
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.revisions.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(PlannedSession)
class PlannedSessionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "report", "number", "month", "session"]
    raw_id_fields = ["report", "session"]


@admin.register(PlannedTopic)
class PlannedTopicAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "report", "kind", "month", "organisation"]
    list_filter = ["kind"]
    raw_id_fields = ["report", "organisation"]


@admin.register(ReportRevision)
class ReportRevisionAdmin(ReadOnlyAdmin):
    list_display = ["report", "number", "adopted_on", "sha256", "size", "published_at"]
    list_filter = ["report__council"]
    exclude = ["pdf", "snapshot"]
    readonly_fields = [
        "report",
        "number",
        "sha256",
        "size",
        "language",
        "adopted_on",
        "adopted_at_session",
        "note",
        "created_by",
        "created",
        "published_at",
        "superseded_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf", "snapshot")
