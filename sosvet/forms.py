"""Site-wide forms."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template import loader

from .tasks import send_email


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail is delivered by the background worker."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        transaction.on_commit(
            lambda: send_email.enqueue(
                subject=subject, body=body, to=[to_email], html_body=html_body
            )
        )
