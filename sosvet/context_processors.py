from django.conf import settings


def site(request):
    return {"SITE_NAME": "sosvet", "DEBUG": settings.DEBUG}
