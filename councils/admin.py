from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    AuditEvent,
    Council,
    CouncilRole,
    Indicator,
    IndicatorValue,
    Membership,
    Municipality,
    Organisation,
    Person,
    Term,
)


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


class CouncilRoleInline(admin.TabularInline):
    model = CouncilRole
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "parent", "language", "is_published"]
    list_filter = ["is_published", "language"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["municipalities"]
    inlines = [TermInline, CouncilRoleInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not CouncilRole:
            return super().save_formset(request, form, formset, change)
        # Access roles go through the services, so that every change is in the audit log.
        with transaction.atomic():
            for role in formset.save(commit=False):
                _save_council_role(role, request.user)
            for role in formset.deleted_objects:
                services.council_role_delete(council_role=role, by=request.user)
        formset.save_m2m()


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["council", "start_date", "end_date"]
    list_filter = ["council"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "council"]
    list_filter = ["kind", "council"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "function", "council", "user"]
    list_filter = ["council"]
    search_fields = ["first_name", "last_name", "email"]
    raw_id_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "council", "organisation", "role", "kind", "start_date", "end_date"]
    list_filter = ["council", "role", "kind"]
    search_fields = ["person__first_name", "person__last_name"]
    raw_id_fields = ["person", "organisation"]


def _save_council_role(role: CouncilRole, by) -> CouncilRole:
    if role.pk is None:
        return services.council_role_create(
            council=role.council, by=by, user=role.user, role=role.role
        )
    return services.council_role_update(
        council_role=role, by=by, council=role.council, user=role.user, role=role.role
    )


@admin.register(CouncilRole)
class CouncilRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "council", "role"]
    list_filter = ["role", "council"]
    search_fields = ["user__username", "user__email", "council__name"]
    autocomplete_fields = ["user", "council"]

    # Every grant, change and revocation goes through the services (audit log).
    def save_model(self, request, obj, form, change):
        saved = _save_council_role(obj, request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.council_role_delete(council_role=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for role in queryset.select_related("council", "user"):
                services.council_role_delete(council_role=role, by=request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only: nobody adds, changes or deletes an event here."""

    list_display = [
        "created",
        "action",
        "actor",
        "ip_address",
        "council",
        "object_repr",
        "description",
    ]
    list_filter = ["action", "council"]
    search_fields = ["actor", "object_repr", "ip_address"]
    date_hierarchy = "created"
    list_select_related = ["council"]
    readonly_fields = [
        "created",
        "action",
        "user",
        "actor",
        "ip_address",
        "council",
        "content_type",
        "object_id",
        "object_repr",
        "details",
    ]
    fields = readonly_fields
    actions = None

    @admin.display(description=_("details"))
    def description(self, obj):
        return obj.description

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    view_on_site = False  # the built-in indicators belong to no council
    list_display = ["code", "name", "unit", "category", "council"]
    list_filter = ["category", "council"]
    search_fields = ["code", "name"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "municipality", "year", "value", "council"]
    list_filter = ["council", "indicator", "year"]
    search_fields = ["indicator__code", "municipality__name", "note"]
    raw_id_fields = ["indicator", "municipality"]
