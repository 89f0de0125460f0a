"""Background tasks of the councils app (Django tasks; worker: ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def prune_retention() -> dict:
    """Empty old e-mail texts and remove old sign-in records (see ``councils.privacy``)."""
    from .privacy import retention_prune

    return retention_prune()
