"""Council pages under /c/<council_slug>/. Thin: resolve, check, call a service, redirect."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from sosvet.collation import by_name
from sosvet.downloads import file_response
from sosvet.security.validators import search_text

from . import indicators_csv, permissions, selectors, services
from .charts import number as number_text
from .forms import (
    CouncilProfileForm,
    IndicatorDeleteForm,
    IndicatorForm,
    IndicatorImportForm,
    IndicatorValuesForm,
    MembershipEndForm,
    MembershipFilterForm,
    MembershipForm,
    OrganisationForm,
    PersonForm,
    TermForm,
)
from .models import (
    INDICATOR_FIRST_YEAR,
    Indicator,
    IndicatorValue,
    Membership,
    Organisation,
    Person,
    Term,
    indicator_last_year,
)
from .tenancy import CouncilFormView, CouncilViewMixin, model_data

MEMBERSHIPS_PER_PAGE = 50


class CouncilDetailView(CouncilViewMixin, TemplateView):
    template_name = "councils/council_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.council_overview(council=self.council))
        context["terms"] = selectors.terms_list(council=self.council)
        context["municipalities"] = list(self.council.municipalities.all())
        return context


class CouncilLogoView(CouncilViewMixin, View):
    def get(self, request, *args, **kwargs):
        if not self.council.logo:
            raise Http404
        try:
            handle = self.council.logo.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, filename=self.council.logo.name.rsplit("/", 1)[-1])
        response["Content-Disposition"] = "inline"
        return response


class CouncilEditView(CouncilFormView):
    template_name = "councils/council_form.html"
    form_class = CouncilProfileForm
    success_message = _("The council profile was saved.")

    def get_object(self):
        return self.council

    def perform(self, form):
        return services.council_update(
            council=self.council,
            by=self.request.user,
            data=model_data(form),
            municipalities=form.cleaned_data["municipalities"],
        )

    def get_success_url(self):
        return self.council.get_absolute_url()


class TermCreateView(CouncilFormView):
    template_name = "councils/term_form.html"
    form_class = TermForm
    success_message = _("The term of office was saved.")

    def perform(self, form):
        return services.term_create(council=self.council, by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.council.get_absolute_url()


class TermEditView(TermCreateView):
    def get_object(self):
        return self.get_tenant_object(Term.objects, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.term_update(term=self.object, by=self.request.user, **form.cleaned_data)


class OrganisationListView(CouncilViewMixin, TemplateView):
    template_name = "councils/organisation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisations"] = selectors.organisations_with_active_members(council=self.council)
        return context


class OrganisationCreateView(CouncilFormView):
    template_name = "councils/organisation_form.html"
    form_class = OrganisationForm
    success_message = _("The organisation was saved.")

    def perform(self, form):
        return services.organisation_create(
            council=self.council, by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("councils:organisation_list", kwargs={"council_slug": self.council.slug})


class OrganisationEditView(OrganisationCreateView):
    def get_object(self):
        return self.get_tenant_object(Organisation.objects, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.organisation_update(
            organisation=self.object, by=self.request.user, **form.cleaned_data
        )


class PersonListView(CouncilViewMixin, TemplateView):
    template_name = "councils/person_list.html"
    permission = staticmethod(permissions.can_read_internal)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = search_text(self.request.GET.get("q"), max_length=100)
        context["search"] = search
        context["people"] = selectors.people_list(council=self.council, search=search)
        return context


class PersonDetailView(CouncilViewMixin, TemplateView):
    template_name = "councils/person_detail.html"
    permission = staticmethod(permissions.can_read_internal)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.get_tenant_object(Person.objects, pk=self.kwargs["pk"])
        context["person"] = person
        context["memberships"] = selectors.memberships_list(council=self.council, person=person)
        if self.access.can_manage:
            context["history"] = selectors.person_history(person=person)
        return context


class PersonCreateView(CouncilFormView):
    template_name = "councils/person_form.html"
    form_class = PersonForm
    success_message = _("The person was saved.")

    def perform(self, form):
        return services.person_create(
            council=self.council, by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        if self.request.GET.get("then") == "membership":
            # Came from the membership form: go back to it with the new person chosen.
            query = urlencode({"person": self.object.pk, "kind": self.request.GET.get("kind", "")})
            url = reverse("councils:membership_create", kwargs={"council_slug": self.council.slug})
            return f"{url}?{query}"
        return self.object.get_absolute_url()


class PersonEditView(PersonCreateView):
    def get_object(self):
        return self.get_tenant_object(Person.objects, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.person_update(person=self.object, by=self.request.user, **form.cleaned_data)


class MembershipListView(CouncilViewMixin, TemplateView):
    template_name = "councils/membership_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = any(key in self.request.GET for key in MembershipFilterForm.base_fields)
        form = MembershipFilterForm(self.request.GET if bound else None, council=self.council)
        filters = {}
        if bound and form.is_valid():
            data = form.cleaned_data
            filters = {
                "kind": data["kind"] or None,
                "role": data["role"] or None,
                "organisation": data["organisation"],
                "active_on": data["active_on"],
                "year": data["year"],
            }
        elif not bound:
            # No filter chosen: the members of today (also on page 2, 3, …).
            filters = {"active_on": timezone.localdate()}
            form = MembershipFilterForm(
                initial={"active_on": filters["active_on"]}, council=self.council
            )
        qs = selectors.memberships_list(council=self.council, **filters)
        page = Paginator(qs, MEMBERSHIPS_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(filter_form=form, page_obj=page, memberships=page.object_list)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class MembershipCreateView(CouncilFormView):
    template_name = "councils/membership_form.html"
    form_class = MembershipForm
    success_message = _("The membership was saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        if self.object is None:
            term = selectors.term_current(council=self.council)
            initial.update(term=term, start_date=timezone.localdate())
            if "person" in self.request.GET:
                initial["person"] = self.request.GET["person"]
            if self.request.GET.get("kind") in Membership.Kind.values:
                initial["kind"] = self.request.GET["kind"]
        return initial

    def perform(self, form):
        return services.membership_create(
            council=self.council, by=self.request.user, **model_data(form)
        )

    def get_success_url(self):
        return reverse("councils:membership_list", kwargs={"council_slug": self.council.slug})


class MembershipEditView(MembershipCreateView):
    def get_object(self):
        return self.get_tenant_object(Membership.objects, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.membership_update(
            membership=self.object, by=self.request.user, **model_data(form)
        )


class MembershipEndView(CouncilFormView):
    template_name = "councils/membership_end.html"
    form_class = MembershipEndForm
    success_message = _("The membership was ended.")

    def get_object(self):
        return self.get_tenant_object(
            Membership.objects.select_related("person", "organisation"), pk=self.kwargs["pk"]
        )

    def get_initial(self):
        return {"end_date": timezone.localdate()}

    def perform(self, form):
        return services.membership_end(
            membership=self.object, by=self.request.user, end_date=form.cleaned_data["end_date"]
        )

    def get_success_url(self):
        return reverse("councils:membership_list", kwargs={"council_slug": self.council.slug})


# --- Safety indicators -----------------------------------------------------------------


def _year_from(value) -> int | None:
    """A year from the query string, or None when missing or out of range."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if INDICATOR_FIRST_YEAR <= year <= indicator_last_year() else None


def _indicator_list_url(council) -> str:
    return reverse("councils:indicator_list", kwargs={"council_slug": council.slug})


class IndicatorListView(CouncilViewMixin, TemplateView):
    """Five-year trend charts of every indicator with values, with tables and trends."""

    template_name = "councils/indicator_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = selectors.indicator_summary(
            council=self.council, year=_year_from(self.request.GET.get("year"))
        )
        context["summary"] = summary
        context["own_indicators"] = [i for i in summary.indicators if not i.is_standard]
        context["entry_year"] = timezone.localdate().year - 1
        return context


class IndicatorValuesEditView(CouncilFormView):
    """One year's values in a grid: indicators in rows, founding municipalities in columns."""

    template_name = "councils/indicator_values_form.html"
    form_class = IndicatorValuesForm

    def dispatch(self, request, *args, **kwargs):
        requested = request.GET.get("year")
        self.year = _year_from(requested) or timezone.localdate().year - 1
        self.year_invalid = requested is not None and _year_from(requested) is None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.indicators = selectors.indicators_available(council=self.council)
        self.municipalities = list(
            self.council.municipalities.order_by(*by_name("name", alphabet=self.council.alphabet))
        )
        kwargs = super().get_form_kwargs()
        kwargs.update(indicators=self.indicators, municipalities=self.municipalities)
        return kwargs

    def get_initial(self):
        current = selectors.indicator_values_for_year(council=self.council, year=self.year)
        decimals = {i.pk: i.decimals for i in self.indicators}
        return {
            IndicatorValue.cell_key(indicator_id, municipality_id): number_text(
                value, decimals.get(indicator_id, 2)
            )
            for (indicator_id, municipality_id), value in current.items()
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        previous = selectors.indicator_values_for_year(council=self.council, year=self.year - 1)
        groups: list[dict] = []
        for indicator in self.indicators:
            if not groups or groups[-1]["category"] != indicator.category:
                groups.append(
                    {
                        "category": indicator.category,
                        "label": indicator.get_category_display(),
                        "rows": [],
                    }
                )
            groups[-1]["rows"].append(
                {
                    "indicator": indicator,
                    "cells": [
                        {
                            "field": form[IndicatorValue.cell_key(indicator.pk, m.pk)],
                            "municipality": m,
                            "previous": previous.get((indicator.pk, m.pk)),
                        }
                        for m in self.municipalities
                    ],
                }
            )
        context.update(
            groups=groups,
            municipalities=self.municipalities,
            year=self.year,
            previous_year=self.year - 1,
            year_invalid=self.year_invalid,
            first_year=INDICATOR_FIRST_YEAR,
            last_year=indicator_last_year(),
            cell_errors=sum(1 for name in form.errors if name != "__all__"),
        )
        return context

    def perform(self, form):
        result = services.indicator_values_save(
            council=self.council,
            by=self.request.user,
            changes=[
                services.ValueChange(
                    indicator=indicator, municipality_id=municipality_id, year=self.year, value=v
                )
                for indicator, municipality_id, v in form.values()
            ],
        )
        self.success_message = _values_message(result, self.year)
        return None

    def get_success_url(self):
        return f"{_indicator_list_url(self.council)}?year={self.year}"


def _values_message(result: services.ValuesResult, year: int | None = None) -> str:
    written = result.created + result.updated
    parts = [
        ngettext("%(count)d value saved", "%(count)d values saved", written) % {"count": written}
    ]
    if result.deleted:
        parts.append(
            ngettext("%(count)d value removed", "%(count)d values removed", result.deleted)
            % {"count": result.deleted}
        )
    if result.unchanged:
        parts.append(
            ngettext("%(count)d unchanged", "%(count)d unchanged", result.unchanged)
            % {"count": result.unchanged}
        )
    text = ", ".join(parts)
    if year is not None:
        return gettext("Year %(year)s: %(summary)s.") % {"year": year, "summary": text}
    return f"{text}."


class IndicatorImportView(CouncilFormView):
    """Upload a CSV file: every line is checked and nothing is imported unless all are valid."""

    template_name = "councils/indicator_import.html"
    form_class = IndicatorImportForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["indicators"] = selectors.indicators_available(council=self.council)
        context["municipalities"] = list(
            self.council.municipalities.order_by(*by_name("name", alphabet=self.council.alphabet))
        )
        context["template_year"] = timezone.localdate().year - 1
        context["first_year"] = INDICATOR_FIRST_YEAR
        context["last_year"] = indicator_last_year()
        context["parsed"] = context["form"].parsed
        return context

    def perform(self, form):
        result = services.indicator_values_import(
            council=self.council, by=self.request.user, rows=form.parsed.rows
        )
        message = gettext("The file was imported: %(summary)s") % {
            "summary": _values_message(result)
        }
        if form.parsed.skipped:
            message += " " + ngettext(
                "%(count)d line without a value was skipped.",
                "%(count)d lines without a value were skipped.",
                form.parsed.skipped,
            ) % {"count": form.parsed.skipped}
        self.success_message = message
        return None

    def get_success_url(self):
        return _indicator_list_url(self.council)


class IndicatorImportTemplateView(CouncilViewMixin, View):
    """A CSV file to fill in: the council's municipalities × every indicator code."""

    permission = staticmethod(permissions.can_manage_council)

    def get(self, request, *args, **kwargs):
        year = _year_from(request.GET.get("year")) or timezone.localdate().year - 1
        content = indicators_csv.template_csv(
            council=self.council,
            year=year,
            indicators=selectors.indicators_available(council=self.council),
        )
        return file_response(
            content,
            content_type="text/csv; charset=utf-8",
            filename=indicators_csv.template_filename(council=self.council, year=year),
        )


class IndicatorCreateView(CouncilFormView):
    template_name = "councils/indicator_form.html"
    form_class = IndicatorForm
    success_message = _("The indicator was saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        return kwargs

    def perform(self, form):
        return services.indicator_create(
            council=self.council, by=self.request.user, **model_data(form)
        )

    def get_success_url(self):
        return _indicator_list_url(self.council)


class IndicatorEditView(IndicatorCreateView):
    def get_object(self):
        return self.get_tenant_object(Indicator.objects, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.indicator_update(
            indicator=self.object, by=self.request.user, **model_data(form)
        )


class IndicatorDeleteView(CouncilFormView):
    template_name = "councils/indicator_delete.html"
    form_class = IndicatorDeleteForm
    success_message = _("The indicator was deleted.")

    def get_object(self):
        return self.get_tenant_object(Indicator.objects, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["value_count"] = self.object.values.count()
        return context

    def perform(self, form):
        services.indicator_delete(indicator=self.object, by=self.request.user)
        return None

    def get_success_url(self):
        return _indicator_list_url(self.council)
