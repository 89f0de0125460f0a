"""Account security: two-factor authentication (TOTP through django-otp, backup codes),
the admin site that requires it, and the project-wide check of form input for control
characters."""
