from django.apps import AppConfig
from django.core import checks
from django.db.backends.signals import connection_created


class SosvetConfig(AppConfig):
    name = "sosvet"

    def ready(self):
        from . import checks as project_checks
        from . import collation

        connection_created.connect(collation.register, dispatch_uid="sosvet.collation")
        checks.register(collation.check_collation, checks.Tags.database)
        checks.register(project_checks.check_site_url, checks.Tags.security, deploy=True)
