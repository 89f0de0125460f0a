from django.apps import AppConfig
from django.core import checks
from django.db.backends.signals import connection_created


class SosvetConfig(AppConfig):
    name = "sosvet"

    def ready(self):
        from . import collation

        connection_created.connect(collation.register, dispatch_uid="sosvet.collation")
        checks.register(collation.check_collation, checks.Tags.database)
