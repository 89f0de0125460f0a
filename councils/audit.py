"""The audit log: recording events (one call from a service) and reading them.

``audit_record`` is called by the services inside their transaction, so an event exists
exactly when the change it records was committed. The address of the request being
served (if any) is taken from django-simple-history's request context, which the
``HistoryRequestMiddleware`` sets for every request, so services need no request argument.

Sign-ins are recorded by receivers of Django's ``user_logged_in`` and
``user_login_failed`` signals (django-axes listens to the same signals for throttling).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.dispatch import receiver
from django.utils import timezone

from .models import AuditEvent, Council, CouncilRole, Person

Action = AuditEvent.Action


def _current_request():
    try:
        from simple_history.models import HistoricalRecords
    except ImportError:  # pragma: no cover - simple-history is always installed
        return None
    return getattr(HistoricalRecords.context, "request", None)


def client_ip(request) -> str | None:
    """The client's address as django-axes sees it (honours its proxy settings)."""
    if request is None:
        return None
    try:
        from axes.helpers import get_client_ip_address

        address = get_client_ip_address(request)
    except Exception:  # noqa: BLE001 - an address is a detail, never a reason to fail
        address = request.META.get("REMOTE_ADDR")
    return address or None


def _actor_name(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user.get_username()[:150]


def audit_record(
    *,
    action: str,
    by=None,
    council: Council | None = None,
    obj: models.Model | None = None,
    details: dict | None = None,
    request=None,
    actor: str | None = None,
) -> AuditEvent:
    """Write one audit event. Call it inside the service's transaction."""
    request = request if request is not None else _current_request()
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    event = AuditEvent(
        action=action,
        user=user,
        actor=(actor if actor is not None else _actor_name(user))[:150],
        ip_address=client_ip(request),
        council=council,
        details=details or {},
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:250]
    event.save()
    return event


# --- Sign-ins -----------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="councils_audit_sign_in")
def _signed_in(sender, request, user, **kwargs):
    audit_record(action=Action.SIGN_IN, by=user, request=request)


@receiver(user_login_failed, dispatch_uid="councils_audit_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD, "") or credentials.get("username", ""))
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    audit_record(action=Action.SIGN_IN_FAILED, by=user, request=request, actor=username[:150])


# --- Reading ------------------------------------------------------------------------


def council_users(*, council: Council):
    """The logins with a way into the council: an access role or a linked person."""
    User = get_user_model()
    return User._default_manager.filter(
        models.Q(pk__in=CouncilRole.objects.filter(council=council).values("user_id"))
        | models.Q(
            pk__in=Person.objects.filter(council=council, user__isnull=False).values("user_id")
        )
    )


def audit_events_list(
    *,
    council: Council | None = None,
    action: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """Events, newest first. With a council: its own events and the sign-ins of its logins.

    Without a council (site administrators): every event.
    """
    qs = AuditEvent.objects.select_related("council", "content_type")
    if council is not None:
        qs = qs.filter(
            models.Q(council=council)
            | models.Q(
                council__isnull=True,
                action__in=AuditEvent.SIGN_IN_ACTIONS,
                user__in=council_users(council=council).values("pk"),
            )
        )
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(created__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(created__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return qs.order_by("-created", "-pk")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
