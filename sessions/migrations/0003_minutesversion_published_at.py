"""Publication per approved version of the minutes.

The public sees the latest published version, also while the minutes are re-opened for a
correction. Minutes published now: their latest version is the published one.
"""

from django.db import migrations, models


def mark_published_versions(apps, schema_editor):
    Minutes = apps.get_model("council_sessions", "Minutes")
    MinutesVersion = apps.get_model("council_sessions", "MinutesVersion")
    published = Minutes.objects.filter(status="published", published_at__isnull=False)
    for minutes in published.only("pk", "published_at"):
        versions = MinutesVersion.objects.filter(minutes=minutes).order_by("-number")
        latest = versions.values_list("pk", flat=True).first()
        if latest is not None:
            MinutesVersion.objects.filter(pk=latest).update(published_at=minutes.published_at)


class Migration(migrations.Migration):
    dependencies = [
        ("council_sessions", "0002_minutes_conclusions_tasks"),
    ]

    operations = [
        migrations.AddField(
            model_name="minutesversion",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="published"),
        ),
        migrations.RunPython(mark_published_versions, migrations.RunPython.noop),
    ]
