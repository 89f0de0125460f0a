"""Signed personal links (RSVP from the e-mail, without signing in)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from .models import Invitee

RSVP_SALT = "sosvet.sessions.rsvp"


class InvalidLink(Exception):
    """The link is tampered with, expired, or names someone no longer invited."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired" or "gone"


def rsvp_token(invitee: Invitee) -> str:
    return signing.dumps({"i": invitee.pk, "s": invitee.session_id}, salt=RSVP_SALT)


def invitee_from_token(token: str) -> Invitee:
    try:
        data = signing.loads(
            token, salt=RSVP_SALT, max_age=settings.RSVP_LINK_MAX_AGE_DAYS * 24 * 3600
        )
    except signing.SignatureExpired as exc:
        raise InvalidLink("expired") from exc
    except signing.BadSignature as exc:
        raise InvalidLink("invalid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise InvalidLink("invalid")
    invitee = (
        Invitee.objects.select_related("session", "session__council", "person")
        .filter(pk=data["i"], session_id=data.get("s"))
        .first()
    )
    if invitee is None or not invitee.is_active:
        raise InvalidLink("gone")
    return invitee
