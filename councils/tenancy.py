"""The one tenancy mechanism: resolve ``request.council`` and the user's access.

Every signed-in council page lives under ``/c/<council_slug>/`` and its view uses
``CouncilViewMixin``. Anyone without access to the council gets 404, so nobody learns
which councils exist; a user with access but without the page's permission gets 403.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import ModelForm
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from sosvet.security import state as two_factor_state

from . import permissions
from .forms import apply_errors
from .models import Council


class CouncilViewMixin:
    """Resolves the council from the URL and checks a named permission predicate."""

    #: one of the predicates in councils.permissions
    permission: Callable = staticmethod(permissions.can_view_council)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            # Anonymous visitors are asked to sign in before the council is even looked
            # up, so the answer is the same whether or not the council exists.
            return redirect_to_login(request.get_full_path())
        step = two_factor_state.pending_step(request)
        if step:
            # Signed in with the password only: the code first (the middleware does the
            # same for every page; this keeps council pages safe without it).
            return two_factor_state.redirect_to_step(request, step)
        council = get_object_or_404(Council, slug=kwargs["council_slug"])
        access = permissions.council_access(request.user, council)
        if not access.has_access:
            raise Http404
        if not self.permission(request.user, council):
            raise PermissionDenied
        request.council = council
        request.council_access = access
        self.council = council
        self.access = access
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["council"] = self.council
        context["access"] = self.access
        return context

    def get_tenant_object(self, queryset, **lookup):
        """Fetch one of the council's records or 404 (never another council's)."""
        return get_object_or_404(queryset.for_council(self.council), **lookup)


class CouncilFormView(CouncilViewMixin, FormView):
    """A thin write view: validate the form, call one service atomically, redirect.

    Subclasses set ``form_class`` and implement ``perform(form)`` (one service call,
    returning the saved object) and ``get_success_url()``. A ValidationError raised by
    the service is shown next to the fields that caused it and nothing is saved.
    """

    permission = staticmethod(permissions.can_manage_council)
    success_message = ""
    object = None

    def get_object(self):
        return None

    def setup_object(self):
        if self.object is None:
            self.object = self.get_object()

    def get_form_kwargs(self):
        self.setup_object()
        kwargs = super().get_form_kwargs()
        if self.object is not None and issubclass(self.form_class, ModelForm):
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        self.setup_object()
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = self.perform(form)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


def model_data(form, exclude: tuple[str, ...] = ()) -> dict:
    """The cleaned values of a ModelForm's concrete fields (no many-to-many)."""
    model = form._meta.model
    concrete = {f.name for f in model._meta.concrete_fields}
    return {k: v for k, v in form.cleaned_data.items() if k in concrete and k not in exclude}
