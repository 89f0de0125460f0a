"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives.

    def test_x(smtp_server):
        ...
        assert [m["To"] for m in smtp_server.messages] == ["a@example.test"]

``smtp_server.refuse_after(n)`` makes it answer "451 try again later" to every
RCPT after ``n`` accepted messages until ``smtp_server.recover()``.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


class RecordingHandler:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._accept_budget: int | None = None
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            if self._accept_budget is not None and self._accept_budget <= 0:
                return "451 4.3.0 Temporarily refusing mail, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self._accept_budget is not None:
                if self._accept_budget <= 0:
                    return "451 4.3.0 Temporarily refusing mail, try again later"
                self._accept_budget -= 1
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self):
        self.handler = RecordingHandler()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self):
        return self.handler.messages

    def refuse_after(self, accepted: int) -> None:
        self.handler._accept_budget = accepted

    def recover(self) -> None:
        self.handler._accept_budget = None

    def clear(self) -> None:
        self.handler.messages.clear()
        self.handler.envelopes.clear()


@pytest.fixture
def smtp_server(settings):
    server = SMTPServer()
    server.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield server
    server.controller.stop()
