from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _standard_indicators_after_migrate(sender, app_config=None, apps=None, **kwargs):
    """The built-in safety indicators exist in every installation and test database."""
    if app_config is None or app_config.label != "councils":
        return
    try:
        model = apps.get_model("councils", "Indicator") if apps else None
    except LookupError:  # migrated back to before the indicators existed
        return
    from .models import standard_indicators_ensure

    standard_indicators_ensure(model)


def _council_language_at_sign_in(sender, request, user, **kwargs):
    """Remember for the session the language the user's councils are written in (when they
    share one): the interface then speaks it until the user picks another."""
    if request is None or not hasattr(request, "session"):
        return
    from sosvet.middleware import COUNCIL_LANGUAGE_SESSION_KEY

    from .selectors import interface_language_of

    language = interface_language_of(user=user)
    if language:
        request.session[COUNCIL_LANGUAGE_SESSION_KEY] = language
    else:
        request.session.pop(COUNCIL_LANGUAGE_SESSION_KEY, None)


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        from . import audit  # noqa: F401  (connects the sign-in receivers of the audit log)

        user_logged_in.connect(
            _council_language_at_sign_in, dispatch_uid="councils_council_language_at_sign_in"
        )
        post_migrate.connect(
            _standard_indicators_after_migrate,
            sender=self,
            dispatch_uid="councils_standard_indicators",
        )
