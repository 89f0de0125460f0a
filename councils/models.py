"""Councils (tenants), their terms, organisations, people, memberships and access roles."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator, validate_slug
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sosvet.collation import by_name


class CouncilQuerySet(models.QuerySet):
    def published(self) -> CouncilQuerySet:
        return self.filter(is_published=True)


class TenantQuerySet(models.QuerySet):
    """The only way to list tenant data: every selector calls ``for_council``."""

    def for_council(self, council: Council) -> TenantQuerySet:
        return self.filter(council=council)


class Municipality(models.Model):
    """A municipality (občina, obec, kommune) that can found councils."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(_("official code"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = by_name("name")
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Council(models.Model):
    """A safety council: the tenant every other record belongs to."""

    name = models.CharField(_("name"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    slug = models.SlugField(
        _("web address"),
        max_length=80,
        unique=True,
        validators=[validate_slug],
        help_text=_("Used in addresses: /c/<web address>/"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_groups",
        help_text=_("Set when this council is a working group of another council."),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("founding municipalities"),
        related_name="councils",
        blank=True,
    )
    police_station = models.CharField(_("founding police station"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    functions = models.TextField(_("functions"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="sl"
    )
    alphabet = models.CharField(
        _("alphabetical order of names"),
        max_length=2,
        choices=[
            ("sl", _("Slovenian (C, Č, Ć … S, Š … Z, Ž)")),
            ("cs", _("Czech (C, Č … H, CH … R, Ř … Z, Ž)")),
            ("nb", _("Norwegian (… Z, Æ, Ø, Å)")),
        ],
        default="sl",
        help_text=_(
            "The order of the council's lists of people, organisations and municipalities."
        ),
    )
    is_published = models.BooleanField(_("public page published"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = by_name("name")
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils:council_detail", kwargs={"council_slug": self.slug})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Term(models.Model):
    """A term of office (mandatno obdobje), e.g. 2022–2026."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="terms"
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))

    history = HistoricalRecords()
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("term of office")
        verbose_name_plural = _("terms of office")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.start_date.year}–{self.end_date.year}"

    def contains(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The term cannot end before it starts.")})
        if self.start_date and self.end_date and self.council_id:
            overlapping = Term.objects.filter(
                council_id=self.council_id,
                start_date__lte=self.end_date,
                end_date__gte=self.start_date,
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(
                    _("This term overlaps the term %(term)s.") % {"term": overlapping.first()}
                )


class Organisation(models.Model):
    """An organisation represented on a council (police station, school, NGO …)."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Police station")
        MUNICIPAL = "municipal", _("Municipal administration")
        WARDENS = "wardens", _("Inter-municipal wardens")
        DISTRICT = "district", _("District or local community")
        SOCIAL = "social", _("Social work centre")
        SCHOOL = "school", _("School")
        HEALTH = "health", _("Health")
        CIVIL_PROTECTION = "civil_protection", _("Civil protection")
        NGO = "ngo", _("NGO or society")
        BUSINESS = "business", _("Business")
        OTHER = "other", _("Other")

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = by_name("name")
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "name"],
                name="organisation_unique_name",
                violation_error_message=_(
                    "An organisation with this name already exists in this council."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "councils:organisation_edit",
            kwargs={"council_slug": self.council.slug, "pk": self.pk},
        )


class Person(models.Model):
    """A person known to one council. E-mail and phone are private data."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="people"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    title = models.CharField(
        pgettext_lazy("person", "title"),
        max_length=50,
        blank=True,
        help_text=_("Academic or professional title, e.g. mag."),
    )
    function = models.CharField(
        _("function"), max_length=200, blank=True, help_text=_("e.g. Mayor, Commander")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="persons",
    )
    erased_at = models.DateTimeField(
        _("contact data erased"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the person's contact data were erased at their request."),
    )

    history = HistoricalRecords()
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = by_name("last_name", "first_name")
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user"],
                condition=models.Q(user__isnull=False),
                name="person_one_per_user_and_council",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse(
            "councils:person_detail", kwargs={"council_slug": self.council.slug, "pk": self.pk}
        )

    @property
    def full_name(self) -> str:
        name = f"{self.first_name} {self.last_name}"
        return f"{self.title} {name}" if self.title else name


class Membership(models.Model):
    """A person's seat on a council, representing an organisation, for a period."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    class Kind(models.TextChoices):
        STANDING = "standing", _("Standing")
        NON_STANDING = "non_standing", _("Non-standing (single cases)")

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation represented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STANDING)
    term = models.ForeignKey(
        Term,
        verbose_name=_("term of office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    note = models.CharField(
        _("note"),
        max_length=250,
        blank=True,
        help_text=_("e.g. the case a non-standing member joins for"),
    )

    history = HistoricalRecords()
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = [*by_name("person__last_name", "person__first_name"), "-start_date"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.council}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if not self.start_date or not self.council_id:
            return
        if self.end_date and self.end_date < self.start_date:
            errors.setdefault("end_date", []).append(
                _("The membership cannot end before it starts.")
            )
        for field_name in ("person", "organisation", "term"):
            related = getattr(self, field_name, None)
            if related is not None and related.council_id != self.council_id:
                errors.setdefault(field_name, []).append(_("Choose one of this council's records."))
        if self.term_id and self.term is not None:
            if not self.term.contains(self.start_date):
                errors.setdefault("start_date", []).append(
                    _("The start must lie within the term of office %(term)s.")
                    % {"term": self.term.label}
                )
            if self.end_date and not self.term.contains(self.end_date):
                errors.setdefault("end_date", []).append(
                    _("The end must lie within the term of office %(term)s.")
                    % {"term": self.term.label}
                )
        if errors:
            raise ValidationError(errors)
        overlapping = Membership.objects.filter(council_id=self.council_id).exclude(pk=self.pk)
        overlapping = overlapping.filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=self.start_date)
        )
        if self.end_date:
            overlapping = overlapping.filter(start_date__lte=self.end_date)
        if self.person_id and overlapping.filter(person_id=self.person_id).exists():
            errors.setdefault("person", []).append(
                _("This person already has a membership of this council in this period.")
            )
        if self.role == self.Role.CHAIR:
            other_chair = overlapping.filter(role=self.Role.CHAIR).select_related("person").first()
            if other_chair:
                errors.setdefault("role", []).append(
                    _("%(person)s is already the chair in this period.")
                    % {"person": other_chair.person}
                )
        if errors:
            raise ValidationError(errors)

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())


class CouncilRole(models.Model):
    """Access to a council's signed-in pages, granted to a login account."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        MAYORS_OFFICE = "mayors_office", _("Mayor's office")

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="roles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="council_roles",
    )
    role = models.CharField(_("access role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["council__name", "role"]
        verbose_name = _("access role")
        verbose_name_plural = _("access roles")
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="councilrole_one_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.council} ({self.get_role_display()})"


# --- Safety indicators -----------------------------------------------------------------

INDICATOR_FIRST_YEAR = 1990


def indicator_last_year() -> int:
    """The latest year a value may be entered for: next year (plans and estimates)."""
    return timezone.localdate().year + 1


def validate_indicator_year(year: int) -> None:
    if year is None:
        return
    if not INDICATOR_FIRST_YEAR <= year <= indicator_last_year():
        raise ValidationError(
            _("Enter a year between %(first)s and %(last)s."),
            code="year_out_of_range",
            params={"first": INDICATOR_FIRST_YEAR, "last": indicator_last_year()},
        )


validate_indicator_code = RegexValidator(
    r"^[a-z][a-z0-9_]*$",
    _("Use lower-case letters without accents, digits and underscores, starting with a letter."),
    code="invalid_code",
)


class IndicatorCategory(models.TextChoices):
    CRIME = "crime", _("Criminal offences")
    PUBLIC_ORDER = "public_order", _("Public order")
    TRAFFIC = "traffic", _("Traffic safety")
    OTHER = "other", _("Other indicators")


class IndicatorAggregation(models.TextChoices):
    SUM = "sum", _("Sum of the municipalities")
    MEAN = "mean", _("Average of the municipalities")


@dataclass(frozen=True)
class StandardIndicator:
    """A built-in indicator every council has; its texts are translated from here."""

    code: str
    category: str
    name: object  # a lazy translation
    description: object
    unit: str = ""
    decimals: int = 0
    aggregation: str = IndicatorAggregation.SUM
    position: int = 0
    #: the total of joint councils is the mean weighted by this indicator (clearance rate)
    weighted_by: str = ""
    #: shown as a share of this indicator (property crime as a share of all crime)
    share_of: str = ""


STANDARD_INDICATORS: tuple[StandardIndicator, ...] = (
    StandardIndicator(
        "crime_total",
        IndicatorCategory.CRIME,
        _("Criminal offences, total"),
        _("All criminal offences the police recorded in the municipality."),
        position=10,
    ),
    StandardIndicator(
        "crime_property",
        IndicatorCategory.CRIME,
        _("Property crime"),
        _("Criminal offences against property: theft, burglary, robbery, fraud, damage."),
        position=20,
        share_of="crime_total",
    ),
    StandardIndicator(
        "crime_domestic_violence",
        IndicatorCategory.CRIME,
        _("Domestic violence"),
        _("Criminal offences of domestic violence."),
        position=30,
    ),
    StandardIndicator(
        "crime_clearance_rate",
        IndicatorCategory.CRIME,
        _("Clearance rate"),
        _("The share of criminal offences the police cleared up."),
        unit="%",
        decimals=1,
        aggregation=IndicatorAggregation.MEAN,
        position=40,
        weighted_by="crime_total",
    ),
    StandardIndicator(
        "public_order_offences",
        IndicatorCategory.PUBLIC_ORDER,
        _("Public-order offences"),
        _("Offences against public order and peace (minor offences)."),
        position=50,
    ),
    StandardIndicator(
        "traffic_fatal",
        IndicatorCategory.TRAFFIC,
        _("Traffic accidents with fatalities"),
        _("Traffic accidents in which at least one person died."),
        position=60,
    ),
    StandardIndicator(
        "traffic_serious_injury",
        IndicatorCategory.TRAFFIC,
        _("Traffic accidents with serious injuries"),
        _("Traffic accidents with at least one seriously injured person and no fatality."),
        position=70,
    ),
    StandardIndicator(
        "traffic_minor_injury",
        IndicatorCategory.TRAFFIC,
        _("Traffic accidents with minor injuries"),
        _("Traffic accidents with minor injuries only."),
        position=80,
    ),
    StandardIndicator(
        "traffic_property_damage",
        IndicatorCategory.TRAFFIC,
        _("Traffic accidents with property damage only"),
        _("Traffic accidents without injured persons."),
        position=90,
    ),
)
STANDARD_BY_CODE: dict[str, StandardIndicator] = {s.code: s for s in STANDARD_INDICATORS}


class IndicatorQuerySet(TenantQuerySet):
    def standard(self) -> IndicatorQuerySet:
        return self.filter(council__isnull=True)

    def available_to(self, council: Council) -> IndicatorQuerySet:
        """The built-in indicators and the council's own (never another council's)."""
        return self.filter(models.Q(council__isnull=True) | models.Q(council=council))


class Indicator(models.Model):
    """A safety indicator: built-in (no council, stable ``code``) or a council's own."""

    council = models.ForeignKey(
        Council,
        verbose_name=_("council"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
        help_text=_("Empty for the built-in indicators every council has."),
    )
    code = models.CharField(
        _("code"),
        max_length=40,
        validators=[validate_indicator_code],
        help_text=_("Names the indicator in the CSV import, e.g. vandalism."),
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(
        _("unit"), max_length=30, blank=True, help_text=_("e.g. %, persons, EUR; empty for counts")
    )
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=IndicatorCategory.choices,
        default=IndicatorCategory.OTHER,
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimal places"),
        choices=[(0, "0"), (1, "1"), (2, "2")],
        default=0,
        help_text=_("0 for counts (whole numbers)."),
    )
    aggregation = models.CharField(
        _("total of a joint council"),
        max_length=10,
        choices=IndicatorAggregation.choices,
        default=IndicatorAggregation.SUM,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1000)

    history = HistoricalRecords()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(council__isnull=True),
                name="indicator_standard_code_unique",
            ),
            models.UniqueConstraint(
                fields=["council", "code"],
                name="indicator_unique_code",
                violation_error_message=_("This council already has an indicator with this code."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    def get_absolute_url(self) -> str:
        """A council's own indicator: its edit page; a built-in one: none."""
        if self.council_id is None:
            return ""
        return reverse(
            "councils:indicator_edit", kwargs={"council_slug": self.council.slug, "pk": self.pk}
        )

    @property
    def standard(self) -> StandardIndicator | None:
        return STANDARD_BY_CODE.get(self.code) if self.council_id is None else None

    @property
    def is_standard(self) -> bool:
        return self.council_id is None

    @property
    def label(self):
        """The name in the user's language (built-in) or as the council wrote it."""
        standard = self.standard
        return standard.name if standard else self.name

    @property
    def label_description(self):
        standard = self.standard
        return standard.description if standard else self.description

    @property
    def is_percentage(self) -> bool:
        return self.unit.strip() == "%"

    @property
    def max_value(self) -> Decimal | None:
        return Decimal(100) if self.is_percentage else None

    def clean(self) -> None:
        if self.council_id is not None and self.code in STANDARD_BY_CODE:
            raise ValidationError(
                {"code": _("This code belongs to a built-in indicator; choose another one.")}
            )

    def check_value(self, value: Decimal) -> str | None:
        """Why ``value`` is not a valid value of this indicator (None if it is)."""
        if value < 0:
            return gettext("The value cannot be negative.")
        if self.max_value is not None and value > self.max_value:
            return gettext("A percentage must lie between 0 and 100.")
        if value != round(value, self.decimals):
            if self.decimals == 0:
                return gettext("Enter a whole number.")
            return ngettext(
                "Enter at most %(count)d decimal place.",
                "Enter at most %(count)d decimal places.",
                self.decimals,
            ) % {"count": self.decimals}
        return None


class IndicatorValue(models.Model):
    """One figure: an indicator's value in one founding municipality in one year."""

    council = models.ForeignKey(
        Council,
        verbose_name=_("council"),
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_indicator_year])
    value = models.DecimalField(
        _("value"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=250, blank=True)

    history = HistoricalRecords()
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["indicator_id", "municipality_id", "year"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "indicator", "municipality", "year"],
                name="indicatorvalue_unique",
                violation_error_message=_(
                    "This indicator already has a value for this municipality and year."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="indicatorvalue_value_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=INDICATOR_FIRST_YEAR),
                name="indicatorvalue_year_from_1990",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.municipality} {self.year}: {self.value}"

    @staticmethod
    def cell_key(indicator_id: int, municipality_id: int) -> str:
        """The name of the form field (and error key) of one cell of the entry grid."""
        return f"v_{indicator_id}_{municipality_id}"

    def clean_value(self) -> None:
        """The checks of the value that need no database (also used by bulk saves)."""
        if self.value is not None and self.indicator_id is not None:
            problem = self.indicator.check_value(self.value)
            if problem:
                raise ValidationError({"value": problem})

    def clean(self) -> None:
        if not self.council_id or not self.indicator_id:
            return
        errors: dict[str, list] = {}
        if self.indicator.council_id not in (None, self.council_id):
            errors.setdefault("indicator", []).append(_("Choose one of this council's records."))
        if (
            self.municipality_id
            and not self.council.municipalities.filter(pk=self.municipality_id).exists()
        ):
            errors.setdefault("municipality", []).append(
                _("Choose one of the council's founding municipalities.")
            )
        if errors:
            raise ValidationError(errors)
        self.clean_value()


def standard_indicators_ensure(indicator_model=None) -> int:
    """Create or update the built-in indicators; return how many rows were written.

    Runs after every ``migrate`` (and ``flush``) through ``post_migrate``, so every
    installation — and every test database — has them.
    """
    model = indicator_model or Indicator
    existing = {i.code: i for i in model.objects.filter(council__isnull=True)}
    written = 0
    with translation.override(None):  # store the English texts, display the translated ones
        for spec in STANDARD_INDICATORS:
            wanted = {
                "name": str(spec.name),
                "description": str(spec.description),
                "unit": spec.unit,
                "category": str(spec.category),
                "decimals": spec.decimals,
                "aggregation": str(spec.aggregation),
                "position": spec.position,
            }
            row = existing.get(spec.code)
            if row is None:
                model.objects.create(council=None, code=spec.code, **wanted)
                written += 1
            elif any(getattr(row, k) != v for k, v in wanted.items()):
                for k, v in wanted.items():
                    setattr(row, k, v)
                row.save()
                written += 1
    return written


from .audit_models import AuditEvent  # noqa: E402,F401  (the audit log, councils/audit.py)
