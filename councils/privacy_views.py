"""The audit log pages, a person's data export and erasure, and the privacy page.

Thin: resolve the council, check the permission, call one selector or service.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from sosvet.downloads import file_response

from . import audit, permissions, privacy
from .models import Person
from .privacy_forms import AuditFilterForm, PersonEraseForm
from .tenancy import CouncilFormView, CouncilViewMixin

AUDIT_EVENTS_PER_PAGE = 50


class AuditListMixin:
    """The filtered, paginated list of events (the same for a council and the site)."""

    with_council_filter = False

    def audit_context(self, council=None) -> dict:
        bound = any(key in self.request.GET for key in AuditFilterForm.base_fields) or (
            "council" in self.request.GET
        )
        form = AuditFilterForm(
            self.request.GET if bound else None, with_council=self.with_council_filter
        )
        filters: dict = {}
        if bound and form.is_valid():
            data = form.cleaned_data
            filters = {
                "action": data["action"] or None,
                "date_from": data["date_from"],
                "date_to": data["date_to"],
            }
            if self.with_council_filter and data.get("council"):
                council = data["council"]
        events = audit.audit_events_list(council=council, **filters)
        page = Paginator(events, AUDIT_EVENTS_PER_PAGE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            "filter_form": form,
            "page_obj": page,
            "events": page.object_list,
            "querystring": query.urlencode(),
            "sign_in_days": settings.RETENTION_SIGNIN_DAYS,
        }


class CouncilAuditView(AuditListMixin, CouncilViewMixin, TemplateView):
    """The council's audit log, for its secretary (and chair)."""

    template_name = "councils/audit_list.html"
    permission = staticmethod(permissions.can_manage_council)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.audit_context(council=self.council))
        return context


class SiteAuditView(AuditListMixin, LoginRequiredMixin, TemplateView):
    """Every event of the installation, for site administrators."""

    template_name = "councils/audit_site.html"
    with_council_filter = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.audit_context())
        return context


class PersonExportView(CouncilViewMixin, View):
    """POST: download everything the portal holds about the person, as JSON."""

    permission = staticmethod(permissions.can_manage_council)
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        person = self.get_tenant_object(Person.objects.select_related("user"), pk=kwargs["pk"])
        with transaction.atomic():
            data = privacy.person_export(person=person, by=request.user)
        content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        name = slugify(f"{person.first_name} {person.last_name}") or f"person-{person.pk}"
        response = file_response(
            content,
            content_type="application/json; charset=utf-8",
            filename=f"{self.council.slug}-{name}-{timezone.localdate():%Y-%m-%d}.json",
        )
        response["Cache-Control"] = "no-store"
        return response


class PersonEraseView(CouncilFormView):
    """The confirmation page of an erasure, and the erasure."""

    template_name = "councils/person_erase.html"
    form_class = PersonEraseForm

    def get_object(self):
        return self.get_tenant_object(Person.objects.select_related("user"), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["person"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.object
        context["plan"] = privacy.person_erase_plan(person=self.object)
        return context

    def perform(self, form):
        plan = privacy.person_erase(
            person=self.object, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        if plan.closes_login:
            self.success_message = _(
                "The contact data of %(name)s were erased and the login was closed."
            ) % {"name": plan.person.full_name}
        else:
            self.success_message = _("The contact data of %(name)s were erased.") % {
                "name": plan.person.full_name
            }
        return plan.person

    def get_success_url(self):
        return self.object.get_absolute_url()


class PrivacyView(TemplateView):
    """What the portal stores about people, why, for how long, and their rights."""

    template_name = "privacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            delivery_days=settings.RETENTION_DELIVERY_DAYS,
            sign_in_days=settings.RETENTION_SIGNIN_DAYS,
            rsvp_days=settings.RSVP_LINK_MAX_AGE_DAYS,
            operator=getattr(settings, "PRIVACY_OPERATOR", ""),
            contact_email=getattr(settings, "PRIVACY_CONTACT_EMAIL", ""),
        )
        return context
