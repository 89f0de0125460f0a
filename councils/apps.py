from django.apps import AppConfig
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


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        from . import audit  # noqa: F401  (connects the sign-in receivers of the audit log)

        post_migrate.connect(
            _standard_indicators_after_migrate,
            sender=self,
            dispatch_uid="councils_standard_indicators",
        )
