"""Django admin: every model is registered and its pages open for a site administrator."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from .factories import UserFactory

pytestmark = pytest.mark.django_db

OUR_APPS = {"councils", "council_sessions", "reports"}


def our_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and not model.__name__.startswith("Historical")
    ]


def test_every_model_is_registered_in_admin():
    missing = [m.__name__ for m in our_models() if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m.__name__)
def test_admin_changelist_opens(client, model):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
