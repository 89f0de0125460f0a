from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
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


@admin.register(CouncilRole)
class CouncilRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "council", "role"]
    list_filter = ["role", "council"]
    search_fields = ["user__username", "user__email", "council__name"]
    autocomplete_fields = ["user", "council"]


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
