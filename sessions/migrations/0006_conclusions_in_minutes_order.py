"""Conclusions of draft minutes numbered in the order of the minutes.

Conclusions used to be numbered in the order they were recorded, so a conclusion added
under agenda item 1 after item 2 already had one read 6/1, 6/3, 6/2. Minutes never approved
are renumbered by agenda item position, then by their order within the item. Minutes that
have an approved version keep every number: they are the official record. Reversed, the
same minutes are numbered in the order the conclusions were recorded again (what the old
numbering gave).
"""

from django.db import migrations


def _renumber(apps, key):
    Minutes = apps.get_model("council_sessions", "Minutes")
    MinutesVersion = apps.get_model("council_sessions", "MinutesVersion")
    Conclusion = apps.get_model("council_sessions", "Conclusion")
    approved = MinutesVersion.objects.values_list("minutes_id", flat=True)
    sessions = Minutes.objects.exclude(pk__in=approved).values_list("session_id", flat=True)
    for session_id in sessions.iterator():
        conclusions = sorted(
            Conclusion.objects.filter(session_id=session_id).select_related("agenda_item"),
            key=key,
        )
        changed = [(c, n) for n, c in enumerate(conclusions, start=1) if c.number != n]
        if not changed:
            continue
        offset = max(c.number for c in conclusions) + len(conclusions) + 1
        for c, _n in changed:
            Conclusion.objects.filter(pk=c.pk).update(number=c.number + offset)
        for c, n in changed:
            Conclusion.objects.filter(pk=c.pk).update(number=n)


def in_minutes_order(c):
    item = c.agenda_item
    return (
        item is None,
        (item.position, item.pk) if item is not None else (0, 0),
        c.number,
    )


def forwards(apps, schema_editor):
    _renumber(apps, in_minutes_order)


def backwards(apps, schema_editor):
    _renumber(apps, lambda c: c.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("council_sessions", "0005_session_constraint_errors_on_fields"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
