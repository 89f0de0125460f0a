"""Two-factor authentication pages: set-up and status, the second sign-in step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from councils.forms import apply_errors

from . import selectors, services, state
from .forms import CodeForm, DisableForm, EnableForm
from .qr import qr_svg

NEW_CODES_SESSION_KEY = "sosvet_two_factor_new_codes"


def safe_next(request, default: str = "dashboard") -> str:
    """The ``next`` parameter if it points to this site, else the default page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _complete_sign_in(request, device) -> None:
    """The user is verified by ``device`` from now on; a new session key for the new
    privilege (against session fixation)."""
    otp_login(request, device)
    state.remember(request, state.VERIFY)
    request.session.cycle_key()


def _page_context(request, **forms) -> dict:
    user = request.user
    device = selectors.totp_device(user=user, confirmed=True)
    pending = selectors.totp_device(user=user, confirmed=False)
    step = state.pending_step(request)
    context = {
        "device": device,
        "pending": pending,
        "required": selectors.two_factor_required(user=user),
        "step": step,
        "backup_codes_left": selectors.backup_codes_left(user=user) if device else 0,
        "new_backup_codes": request.session.pop(NEW_CODES_SESSION_KEY, None),
        # The header shows no menu until the sign-in is complete.
        "sign_in_incomplete": step is not None,
        "enable_form": forms.get("enable_form") or EnableForm(),
        "disable_form": forms.get("disable_form") or DisableForm(),
    }
    if pending is not None:
        context["qr_svg"] = qr_svg(
            pending.config_url,
            title=_("QR code to scan with your authenticator app"),
        )
        context["manual_key"] = selectors.manual_entry_key(pending)
    return context


@method_decorator(never_cache, name="dispatch")
class TwoFactorView(LoginRequiredMixin, TemplateView):
    """Status and set-up of two-factor authentication for the signed-in user."""

    template_name = "security/two_factor.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_page_context(self.request))
        return context


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(LoginRequiredMixin, View):
    """POST: a new secret for the app (shown as a QR code on the status page)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.totp_device_start(user=request.user)
        return redirect("two_factor")


class _CodePostView(LoginRequiredMixin, View):
    """POST a code; on a wrong code the status page is shown again with the error."""

    http_method_names = ["post"]
    form_class = CodeForm
    form_name = ""

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                return self.perform(form)
            except ValidationError as error:
                apply_errors(form, _on_code_field(error))
        return render(
            request,
            "security/two_factor.html",
            _page_context(request, **{self.form_name: form}),
        )

    def perform(self, form):
        raise NotImplementedError


def _on_code_field(error: ValidationError) -> ValidationError:
    return ValidationError({"code": error.messages})


@method_decorator(never_cache, name="dispatch")
class TwoFactorConfirmView(_CodePostView):
    form_class = EnableForm
    form_name = "enable_form"

    def perform(self, form):
        device, codes = services.two_factor_enable(
            user=self.request.user, code=form.cleaned_data["code"]
        )
        _complete_sign_in(self.request, device)
        self.request.session[NEW_CODES_SESSION_KEY] = codes
        messages.success(self.request, _("Two-factor authentication is on."))
        return redirect("two_factor")


@method_decorator(never_cache, name="dispatch")
class TwoFactorDisableView(_CodePostView):
    form_class = DisableForm
    form_name = "disable_form"

    def post(self, request, *args, **kwargs):
        if selectors.two_factor_required(user=request.user):
            messages.error(
                request,
                _("Your role requires two-factor authentication; it cannot be turned off."),
            )
            return redirect("two_factor")
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        services.two_factor_disable(user=self.request.user, code=form.cleaned_data["code"])
        state.remember(self.request, None)
        messages.success(self.request, _("Two-factor authentication is off."))
        return redirect("two_factor")


@method_decorator(never_cache, name="dispatch")
class BackupCodesView(LoginRequiredMixin, View):
    """POST: ten new backup codes, shown once on the status page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not selectors.has_two_factor(user=request.user):
            return redirect("two_factor")
        request.session[NEW_CODES_SESSION_KEY] = services.backup_codes_generate(user=request.user)
        messages.success(request, _("New backup codes are ready; the earlier ones no longer work."))
        return redirect("two_factor")


@method_decorator(never_cache, name="dispatch")
class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """The second sign-in step: a code from the app or a backup code."""

    template_name = "security/two_factor_verify.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and state.pending_step(request) != state.VERIFY:
            # Nothing to verify (already verified, or the app was removed meanwhile).
            if not selectors.has_two_factor(user=request.user):
                state.remember(request, state.state_at_sign_in(request.user))
            return redirect(safe_next(request))
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["code"].widget.attrs["autofocus"] = True
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = safe_next(self.request)
        context["sign_in_incomplete"] = True
        return context

    def form_valid(self, form):
        try:
            device = services.code_verify(user=self.request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            apply_errors(form, _on_code_field(error))
            return self.form_invalid(form)
        _complete_sign_in(self.request, device)
        if isinstance(device, StaticDevice):
            left = selectors.backup_codes_left(user=self.request.user)
            messages.warning(
                self.request,
                ngettext(
                    "You signed in with a backup code; %(count)d backup code is left.",
                    "You signed in with a backup code; %(count)d backup codes are left.",
                    left,
                )
                % {"count": left},
            )
        return redirect(safe_next(self.request))
