"""Reads of the councils app. Every tenant selector takes ``council=``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import ExpressionWrapper, IntegerField, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy

from sosvet.collation import by_name

from . import permissions
from .models import (
    Council,
    CouncilRole,
    Indicator,
    IndicatorAggregation,
    IndicatorCategory,
    IndicatorValue,
    Membership,
    Organisation,
    Person,
    Term,
)

# The order of the model documents (seed 000, the Ptuj report): organisations by kind —
# municipality, police, wardens, district communities, then the others — and members by
# role. The annual report's membership table and the public council page both use it.
ORGANISATION_KIND_ORDER = [
    Organisation.Kind.MUNICIPAL,
    Organisation.Kind.POLICE,
    Organisation.Kind.WARDENS,
    Organisation.Kind.DISTRICT,
    Organisation.Kind.SOCIAL,
    Organisation.Kind.SCHOOL,
    Organisation.Kind.HEALTH,
    Organisation.Kind.CIVIL_PROTECTION,
    Organisation.Kind.NGO,
    Organisation.Kind.BUSINESS,
    Organisation.Kind.OTHER,
]
MEMBERSHIP_ROLE_ORDER = [
    Membership.Role.CHAIR,
    Membership.Role.DEPUTY_CHAIR,
    Membership.Role.SECRETARY,
    Membership.Role.MEMBER,
]
#: rank of each kind and role in those orders (anything else comes after them)
ORGANISATION_KIND_RANK = {kind: rank for rank, kind in enumerate(ORGANISATION_KIND_ORDER)}
MEMBERSHIP_ROLE_RANK = {role: rank for rank, role in enumerate(MEMBERSHIP_ROLE_ORDER)}


@dataclass(frozen=True)
class UserCouncil:
    council: Council
    access: permissions.CouncilAccess


def interface_language_of(*, user) -> str | None:
    """The language every council the user works in is written in, when they share one
    (the secretary of a Norwegian council that writes in English: "en"); else None. One
    query."""
    today = timezone.localdate()
    roles = CouncilRole.objects.filter(user=user).values("council_id")
    memberships = (
        Membership.objects.filter(person__user=user, start_date__lte=today)
        .exclude(end_date__lt=today)
        .values("council_id")
    )
    languages = set(
        Council.objects.filter(Q(pk__in=roles) | Q(pk__in=memberships))
        .order_by()
        .values_list("language", flat=True)
        .distinct()[:2]
    )
    return languages.pop() if len(languages) == 1 else None


def councils_for_user(*, user) -> list[UserCouncil]:
    """The councils a user can open, with the user's access in each (two queries)."""
    if not user.is_authenticated or not user.is_active:
        return []
    roles: dict[int, set[str]] = {}
    today = timezone.localdate()
    for council_id, role in CouncilRole.objects.filter(user=user).values_list("council_id", "role"):
        roles.setdefault(council_id, set()).add(role)
    for council_id, role in (
        Membership.objects.filter(person__user=user, start_date__lte=today)
        .exclude(end_date__lt=today)
        .values_list("council_id", "role")
    ):
        roles.setdefault(council_id, set()).add(permissions._roles_from_membership(role))
    councils = Council.objects.select_related("parent").prefetch_related("municipalities")
    councils = councils.all() if user.is_superuser else councils.filter(pk__in=roles)
    result = []
    for council in councils:
        council_roles = roles.get(council.pk, set())
        if user.is_superuser:
            council_roles = council_roles | {permissions.SECRETARY}
        result.append(
            UserCouncil(council=council, access=permissions.access_for_roles(council_roles))
        )
    return result


def term_current(*, council: Council, day: datetime.date | None = None) -> Term | None:
    """The term of office in force on ``day`` (today), else the latest one."""
    day = day or timezone.localdate()
    terms = Term.objects.for_council(council)
    return terms.filter(start_date__lte=day, end_date__gte=day).first() or terms.first()


def terms_list(*, council: Council) -> QuerySet[Term]:
    return Term.objects.for_council(council).order_by("-start_date")


def organisations_list(*, council: Council, kind: str | None = None) -> QuerySet[Organisation]:
    qs = Organisation.objects.for_council(council)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by(*by_name("name", alphabet=council.alphabet))


def organisations_with_active_members(*, council: Council) -> QuerySet[Organisation]:
    today = timezone.localdate()
    active = memberships_list(council=council, active_on=today).select_related("person")
    return organisations_list(council=council).prefetch_related(
        Prefetch("memberships", queryset=active, to_attr="active_memberships")
    )


def people_list(*, council: Council, search: str = "") -> QuerySet[Person]:
    qs = Person.objects.for_council(council).select_related("user")
    if search:
        qs = qs.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(function__icontains=search)
        )
    return qs.order_by(*by_name("last_name", "first_name", alphabet=council.alphabet))


def memberships_list(
    *,
    council: Council,
    active_on: datetime.date | None = None,
    active_between: tuple[datetime.date, datetime.date] | None = None,
    year: int | None = None,
    kind: str | None = None,
    role: str | None = None,
    organisation: Organisation | int | None = None,
    organisation_kind: str | None = None,
    person: Person | int | None = None,
) -> QuerySet[Membership]:
    """Memberships of a council, filtered.

    "Who is a member on date D": ``memberships_list(council=c, active_on=D)``.
    "Who represented the social work centre in 2023":
    ``memberships_list(council=c, year=2023, organisation_kind="social")``.
    """
    qs = Membership.objects.for_council(council).select_related("person", "organisation", "term")
    if active_on is not None:
        active_between = (active_on, active_on)
    if year is not None:
        active_between = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    if active_between is not None:
        start, end = active_between
        qs = qs.filter(start_date__lte=end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if role:
        qs = qs.filter(role=role)
    if organisation:
        qs = qs.filter(organisation=organisation)
    if organisation_kind:
        qs = qs.filter(organisation__kind=organisation_kind)
    if person:
        qs = qs.filter(person=person)
    return qs.order_by(
        *by_name("person__last_name", "person__first_name", alphabet=council.alphabet),
        "-start_date",
    )


def membership_chair_on(*, council: Council, day: datetime.date) -> Membership | None:
    return memberships_list(council=council, active_on=day, role=Membership.Role.CHAIR).first()


def council_overview(*, council: Council) -> dict:
    """Figures for the council's overview page."""
    today = timezone.localdate()
    active = memberships_list(council=council, active_on=today)
    return {
        "term": term_current(council=council),
        "chair": membership_chair_on(council=council, day=today),
        "standing_count": active.filter(kind=Membership.Kind.STANDING).count(),
        "non_standing_count": active.filter(kind=Membership.Kind.NON_STANDING).count(),
        "organisation_count": Organisation.objects.for_council(council).count(),
        "working_groups": list(council.working_groups.all()),
    }


def person_history(*, person: Person) -> list[dict]:
    """Every recorded change of the person and of its memberships, newest first."""
    rows = []
    for record in person.history.select_related("history_user")[:50]:
        rows.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "action": record.get_history_type_display(),
                "subject": Person._meta.verbose_name,
                "detail": f"{record.first_name} {record.last_name}",
            }
        )
    memberships = Membership.history.filter(person_id=person.pk).select_related(
        "history_user", "organisation"
    )
    for record in memberships[:50]:
        period = f"{record.start_date:%d.%m.%Y} – " + (
            f"{record.end_date:%d.%m.%Y}" if record.end_date else ""
        )
        rows.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "action": record.get_history_type_display(),
                "subject": Membership._meta.verbose_name,
                "detail": ", ".join(
                    str(part)
                    for part in (
                        record.organisation or "",
                        Membership.Role(record.role).label,
                        Membership.Kind(record.kind).label,
                        period,
                    )
                    if part
                ),
            }
        )
    return sorted(rows, key=lambda row: row["date"], reverse=True)


# --- Safety indicators -----------------------------------------------------------------

#: a five-year slope smaller than this share of the average per year counts as stable
TREND_STABLE_SHARE = Decimal("0.02")
#: the fewest years a trend is computed from
TREND_MIN_POINTS = 3

CATEGORY_ORDER = [c.value for c in IndicatorCategory]

TREND_LABELS = {
    "rising": pgettext_lazy("trend", "rising"),
    "falling": pgettext_lazy("trend", "falling"),
    "stable": pgettext_lazy("trend", "stable"),
}


#: the columns of an indicator that ``indicator_summary`` reads
INDICATOR_FIELDS = (
    "council_id",
    "code",
    "name",
    "unit",
    "description",
    "category",
    "decimals",
    "aggregation",
    "position",
)


def _indicator_order(indicator: Indicator) -> tuple:
    """By category, the built-in ones before the council's own, then by position (sorted
    from the order by position and name, which it keeps for the rest)."""
    return (
        CATEGORY_ORDER.index(indicator.category),
        indicator.council_id is not None,
        indicator.position,
    )


def indicators_available(*, council: Council) -> list[Indicator]:
    """The built-in indicators and the council's own, by category and position."""
    indicators = list(Indicator.objects.available_to(council).order_by("position", "name"))
    return sorted(indicators, key=_indicator_order)


def indicators_own(*, council: Council) -> QuerySet[Indicator]:
    return Indicator.objects.for_council(council).order_by("position", "name")


def indicator_values_for_year(*, council: Council, year: int) -> dict[tuple[int, int], Decimal]:
    """{(indicator id, municipality id): value} of one year: the entry grid's figures."""
    rows = (
        IndicatorValue.objects.for_council(council)
        .filter(year=year)
        .values_list("indicator_id", "municipality_id", "value")
    )
    return {(indicator_id, municipality_id): value for indicator_id, municipality_id, value in rows}


@dataclass(frozen=True)
class Change:
    """The change of the last year against the previous one."""

    year: int
    previous_year: int
    absolute: Decimal
    percent: Decimal | None  # None when the previous value is 0

    @property
    def direction(self) -> str:
        return "up" if self.absolute > 0 else "down" if self.absolute < 0 else "same"


@dataclass(frozen=True)
class Trend:
    """The least-squares line through the years of the window that have a value."""

    RISING = "rising"
    FALLING = "falling"
    STABLE = "stable"

    direction: str
    slope: Decimal  # change per year
    intercept: Decimal  # the line's value in the first year of the window
    first_year: int
    points: int

    @property
    def label(self) -> str:
        return str(TREND_LABELS[self.direction])

    def value_at(self, year: int) -> Decimal:
        return self.intercept + self.slope * (year - self.first_year)


def change_against_previous(values: list[Decimal | None], years: list[int]) -> Change | None:
    """Last year against the year before; None unless both have a value."""
    if len(values) < 2 or values[-1] is None or values[-2] is None:
        return None
    current, previous = values[-1], values[-2]
    absolute = current - previous
    percent = None
    if previous != 0:
        percent = (absolute * 100 / previous).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Change(year=years[-1], previous_year=years[-2], absolute=absolute, percent=percent)


def trend_of(values: list[Decimal | None], years: list[int]) -> Trend | None:
    """Direction and slope per year of the least-squares line (None if under 3 points).

    The trend is "stable" when the slope is under ``TREND_STABLE_SHARE`` (2 %) of the
    average value per year; otherwise rising or falling by the sign of the slope.
    """
    points = [(y, v) for y, v in zip(years, values, strict=True) if v is not None]
    if len(points) < TREND_MIN_POINTS:
        return None
    n = Decimal(len(points))
    mean_x = sum(Decimal(y) for y, _v in points) / n
    mean_y = sum(v for _y, v in points) / n
    sxx = sum((Decimal(y) - mean_x) ** 2 for y, _v in points)
    sxy = sum((Decimal(y) - mean_x) * (v - mean_y) for y, v in points)
    slope = sxy / sxx
    intercept = mean_y - slope * (mean_x - years[0])
    stable = slope == 0 if mean_y == 0 else abs(slope) < TREND_STABLE_SHARE * abs(mean_y)
    direction = Trend.STABLE if stable else Trend.RISING if slope > 0 else Trend.FALLING
    return Trend(
        direction=direction,
        slope=slope.quantize(Decimal("0.01"), ROUND_HALF_UP),
        intercept=intercept,
        first_year=years[0],
        points=len(points),
    )


@dataclass(frozen=True)
class Series:
    """One line of a chart and one column of the table: a municipality or the total."""

    key: str  # "m<municipality id>" or "total"
    label: str
    values: list[Decimal | None]  # one per year of the window
    is_total: bool = False
    change: Change | None = None
    trend: Trend | None = None

    @property
    def latest(self) -> Decimal | None:
        return self.values[-1] if self.values else None


@dataclass
class IndicatorSummary:
    """One indicator over the window, for the charts, tables, public page and report."""

    indicator_id: int
    code: str
    name: str
    description: str
    unit: str
    decimals: int
    category: str
    category_label: str
    is_standard: bool
    years: list[int]
    series: list[Series]  # every municipality, then the total of a joint council
    #: the series the change and trend sentences speak of: the total, or the one municipality
    headline: Series
    #: property crime as a share of all crime in the last year (percent), where defined
    share: Decimal | None = None
    share_of_name: str = ""

    @property
    def is_percentage(self) -> bool:
        return self.unit.strip() == "%"

    @property
    def has_data(self) -> bool:
        return any(v is not None for s in self.series for v in s.values)

    @property
    def year(self) -> int | None:
        return self.years[-1] if self.years else None

    @property
    def previous_year(self) -> int | None:
        return self.years[-2] if len(self.years) > 1 else None

    @property
    def rows(self) -> list[dict]:
        """The data table: one row per year with the value of every series."""
        return [
            {"year": year, "values": [s.values[index] for s in self.series]}
            for index, year in enumerate(self.years)
        ]

    @cached_property
    def chart_svg(self) -> str:
        from .charts import indicator_chart

        return indicator_chart(self)

    @cached_property
    def table(self):
        """The data table's figures, formatted in the active language (``charts.py``)."""
        from .charts import indicator_table

        return indicator_table(self)


@dataclass
class IndicatorReport:
    """What ``indicator_summary`` returns: plain data about every indicator of a council."""

    year: int | None  # the last year of the window (None: no values at all)
    years: list[int]
    available_years: list[int]  # every year with at least one value, newest first
    municipalities: list[tuple[int, str]]
    indicators: list[IndicatorSummary]

    @property
    def with_data(self) -> list[IndicatorSummary]:
        return [i for i in self.indicators if i.has_data]

    @property
    def without_data(self) -> list[IndicatorSummary]:
        return [i for i in self.indicators if not i.has_data]

    @property
    def is_joint(self) -> bool:
        return len(self.municipalities) > 1

    @property
    def categories(self) -> list[dict]:
        """The indicators with data grouped by category, in the order of the page."""
        groups: list[dict] = []
        for summary in self.with_data:
            if not groups or groups[-1]["category"] != summary.category:
                groups.append(
                    {
                        "category": summary.category,
                        "label": summary.category_label,
                        "indicators": [],
                    }
                )
            groups[-1]["indicators"].append(summary)
        return groups


def _total(
    indicator: Indicator,
    per_municipality: list[Decimal | None],
    weights: list[Decimal | None] | None,
) -> Decimal | None:
    """The joint council's figure: None unless every municipality has a value."""
    if not per_municipality or any(v is None for v in per_municipality):
        return None
    if indicator.aggregation == IndicatorAggregation.SUM:
        return sum(per_municipality, Decimal(0))
    if weights and all(w is not None for w in weights) and sum(weights) > 0:
        weighted = sum((v * w for v, w in zip(per_municipality, weights, strict=True)), Decimal(0))
        return (weighted / sum(weights)).quantize(Decimal(10) ** -indicator.decimals)
    mean = sum(per_municipality, Decimal(0)) / len(per_municipality)
    return mean.quantize(Decimal(10) ** -indicator.decimals)


def indicator_window(*, council: Council, year: int | None = None, years: int = 5) -> list[tuple]:
    """The council's values of the ``years`` years ending with ``year`` (default: the
    latest year with a value), each with the columns of its indicator, by the indicators'
    position and name: ``(indicator id, municipality id, year, value, *INDICATOR_FIELDS)``.

    One query. ``indicator_summary(window=…)`` summarises them; the public page's
    indicator section is keyed on them (``councils.public_indicators``).
    """
    own = IndicatorValue.objects.for_council(council)
    if year is None:
        latest = Subquery(own.order_by("-year").values("year")[:1])
        rows = own.filter(year__gt=ExpressionWrapper(latest - years, output_field=IntegerField()))
    else:
        rows = own.filter(year__gt=year - years, year__lte=year)
    fields = [f"indicator__{name}" for name in INDICATOR_FIELDS]
    return list(
        rows.order_by("indicator__position", "indicator__name").values_list(
            "indicator_id", "municipality_id", "year", "value", *fields
        )
    )


def _split_window(window: list[tuple]) -> tuple[list[Indicator], list[tuple]]:
    """``indicator_window``'s rows as the indicators (in the order of
    ``indicators_available``) and their values ``(indicator id, municipality id, year,
    value)``."""
    indicators: dict[int, Indicator] = {}
    values = []
    for indicator_id, municipality_id, value_year, value, *columns in window:
        if indicator_id not in indicators:
            indicators[indicator_id] = Indicator(
                id=indicator_id, **dict(zip(INDICATOR_FIELDS, columns, strict=True))
            )
        values.append((indicator_id, municipality_id, value_year, value))
    return sorted(indicators.values(), key=_indicator_order), values


def indicator_summary(
    *,
    council: Council,
    year: int | None = None,
    years: int = 5,
    municipalities: list[tuple[int, str]] | None = None,
    window: list[tuple] | None = None,
) -> IndicatorReport:
    """Every indicator of the council over ``years`` years ending with ``year``.

    ``year`` defaults to the latest year with a value. Each indicator has one series per
    founding municipality and, for joint councils, the total; the change of the last year
    against the previous one and the least-squares trend over the window are computed for
    each series. Three queries, however many years and values; two when the caller passes
    the council's ``municipalities`` ((id, name) by name).

    ``window`` (the public page): the rows of ``indicator_window`` for the same ``year``
    and ``years``, read before; nothing else is read but the municipalities, and the report
    holds only the indicators with a value in the window (no ``without_data``), and in
    ``available_years`` only the window's years.
    """
    if municipalities is None:
        municipalities = list(
            council.municipalities.order_by(
                *by_name("name", alphabet=council.alphabet)
            ).values_list("id", "name")
        )
    values: dict[tuple[int, int, int], Decimal] = {}
    all_years: set[int] = set()
    if window is not None:
        indicators, rows = _split_window(window)
    else:
        indicators = indicators_available(council=council)
        rows = (
            IndicatorValue.objects.for_council(council)
            .order_by()
            .values_list("indicator_id", "municipality_id", "year", "value")
        )
    for indicator_id, municipality_id, value_year, value in rows:
        values[(indicator_id, municipality_id, value_year)] = value
        all_years.add(value_year)
    available_years = sorted(all_years, reverse=True)
    last = year or (available_years[0] if available_years else None)
    window = list(range(last - years + 1, last + 1)) if last else []
    by_code = {i.code: i for i in indicators if i.council_id is None}
    municipality_ids = [m_id for m_id, _name in municipalities]

    def column(indicator: Indicator, m_id: int) -> list[Decimal | None]:
        return [values.get((indicator.pk, m_id, y)) for y in window]

    def totals(indicator: Indicator) -> list[Decimal | None]:
        standard = indicator.standard
        weight_indicator = by_code.get(standard.weighted_by) if standard else None
        result = []
        for y in window:
            per = [values.get((indicator.pk, m_id, y)) for m_id in municipality_ids]
            weights = (
                [values.get((weight_indicator.pk, m_id, y)) for m_id in municipality_ids]
                if weight_indicator
                else None
            )
            result.append(_total(indicator, per, weights))
        return result

    def series(key: str, label: str, data: list[Decimal | None], is_total: bool) -> Series:
        return Series(
            key=key,
            label=label,
            values=data,
            is_total=is_total,
            change=change_against_previous(data, window),
            trend=trend_of(data, window),
        )

    summaries = []
    for indicator in indicators:
        lines = [
            series(f"m{m_id}", name, column(indicator, m_id), False)
            for m_id, name in municipalities
        ]
        if len(lines) > 1:
            lines.append(series("total", gettext("Total"), totals(indicator), True))
        headline = (
            lines[-1] if lines else series("total", gettext("Total"), [None] * len(window), True)
        )
        share, share_of_name = None, ""
        standard = indicator.standard
        if standard and standard.share_of and standard.share_of in by_code and window:
            whole = by_code[standard.share_of]
            whole_latest = (
                totals(whole)[-1]
                if len(municipality_ids) > 1
                else values.get((whole.pk, municipality_ids[0], window[-1]))
                if municipality_ids
                else None
            )
            if headline.latest is not None and whole_latest:
                share = (headline.latest * 100 / whole_latest).quantize(
                    Decimal("0.1"), ROUND_HALF_UP
                )
                share_of_name = str(whole.label)
        summaries.append(
            IndicatorSummary(
                indicator_id=indicator.pk,
                code=indicator.code,
                name=str(indicator.label),
                description=str(indicator.label_description),
                unit=indicator.unit,
                decimals=indicator.decimals,
                category=indicator.category,
                category_label=str(IndicatorCategory(indicator.category).label),
                is_standard=indicator.is_standard,
                years=window,
                series=lines,
                headline=headline,
                share=share,
                share_of_name=share_of_name,
            )
        )
    return IndicatorReport(
        year=last,
        years=window,
        available_years=available_years,
        municipalities=municipalities,
        indicators=summaries,
    )
