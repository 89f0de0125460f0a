"""Demo sessions for the demo councils (called by ``manage.py load_demo``; idempotent)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from councils.models import Council, Organisation, Person, Term

from .models import AgendaItem, Session

D = datetime.date
T = datetime.time

PTUJ_HELD = [
    # (date, place, items: (title, presenter last name or None, organisation short name, kind))
    (
        D(2022, 3, 15),
        "Mestna hiša Ptuj, Mestni trg 1",
        [
            (
                "Informacija o varnostnih pojavih na območju MO Ptuj v letu 2021",
                "Lubej",
                "PP Ptuj",
                "information",
            ),
            ("Varnost v času poletnih prireditev", None, "SOU MO", "discussion"),
        ],
    ),
    (
        D(2023, 4, 7),
        "Mestna hiša Ptuj, Mestni trg 1",
        [
            ("Konstituiranje varnostnega sosveta v mandatu 2022–2026", "Gajšek", "MOP", "decision"),
            (
                "Potrditev poročila o delu varnostnega sosveta v letu 2022",
                "Korošak",
                "MOP",
                "decision",
            ),
            ("Sprejem načrta dela za leto 2023", "Korošak", "MOP", "decision"),
            (
                "Informacija o varnostnih pojavih na območju Mestne občine Ptuj v letu 2022",
                "Lubej",
                "PP Ptuj",
                "information",
            ),
        ],
    ),
    (
        D(2024, 3, 19),
        "Mestna hiša Ptuj, Mestni trg 1",
        [
            (
                "Informacije o varnostnih pojavih na območju Mestne občine Ptuj v letu 2023",
                "Lubej",
                "PP Ptuj",
                "information",
            ),
            ("Predstavitev projektov CSD Spodnje Podravje", "Rajh", "CSD SP", "information"),
        ],
    ),
    (
        D(2024, 6, 18),
        "Mestna hiša Ptuj, Mestni trg 1",
        [
            ("Varnostni ukrepi ob zaključku šolskega leta", "Ribič", "OŠ Mladika", "discussion"),
            ("Zagotavljanje varnosti v počitniškem času", "Vaupotič", "SOU MO", "discussion"),
            ("Predstavitev projektov ARS VITAE", "Fras", "ARS VITAE", "information"),
        ],
    ),
    (
        D(2024, 11, 19),
        "Mestna hiša Ptuj, Mestni trg 1",
        [
            (
                "Zagotavljanje varnosti v času decembrskih praznikov",
                "Lubej",
                "PP Ptuj",
                "discussion",
            ),
            ("Predstavitev projektov LAS", "Kirbiš", "LAS", "information"),
            ("Predstavitev projektov CID Ptuj", "Gorjup", "CID", "information"),
        ],
    ),
    (
        D(2025, 3, 18),
        "Mestna hiša Ptuj, Mestni trg 1",
        [
            (
                "Informacije o varnostnih pojavih na območju Mestne občine Ptuj v letu 2024",
                "Lubej",
                "PP Ptuj",
                "information",
            ),
            (
                "Poročilo o delu varnostnega sosveta v letu 2024 in plan dela za leto 2025",
                "Korošak",
                "MOP",
                "decision",
            ),
        ],
    ),
    (
        D(2025, 11, 18),
        "Mestna hiša Ptuj, Mestni trg 1",
        [
            ("Zaščita in reševanje ob poplavah", "Štumberger", "CZ", "discussion"),
            (
                "Zagotavljanje varnosti v času decembrskih praznikov",
                "Lubej",
                "PP Ptuj",
                "discussion",
            ),
        ],
    ),
]

PTUJ_UPCOMING = [
    ("Konstituiranje varnostnega sosveta v mandatu 2026–2030", "Gajšek", "MOP", "decision", 15),
    (
        "Informacija o varnostnih pojavih na območju Mestne občine Ptuj v letu 2026",
        "Lubej",
        "PP Ptuj",
        "information",
        30,
    ),
    ("Zagotavljanje varnosti v času decembrskih praznikov", "Vaupotič", "SOU MO", "discussion", 20),
]

SG_HELD = [
    (
        D(2025, 5, 14),
        "Mestna občina Slovenj Gradec, Šolska ulica 5",
        [
            (
                "Varnostne razmere na območju PP Slovenj Gradec v letu 2024",
                "Krevh",
                "PP SG",
                "information",
            ),
            ("Varnost na šolskih poteh", "Pšeničnik", "MIR", "discussion"),
        ],
    ),
]


# The joint council's next session, convened (the public page shows it with its public
# items; the personnel matter is not public). (title, presenter, organisation, kind, public)
SG_UPCOMING = [
    ("Varnost na šolskih poteh ob začetku zime", "Pšeničnik", "MIR", "discussion", True),
    ("Poročilo PP Slovenj Gradec o prometni varnosti", "Krevh", "PP SG", "information", True),
    ("Kadrovska zadeva: imenovanje namestnika člana", None, "MOSG", "decision", False),
]


def _term(council: Council, day: datetime.date) -> Term | None:
    return council.terms.filter(start_date__lte=day, end_date__gte=day).first()


def _number(council: Council, term: Term | None) -> int:
    return (
        Session.objects.filter(council=council, term=term)
        .exclude(status=Session.Status.CANCELLED)
        .count()
        + 1
    )


def _items(council: Council, session: Session, items, offset: int = 0) -> None:
    for position, spec in enumerate(items, start=offset + 1):
        title, last_name, org_key, kind = spec[:4]
        minutes = spec[4] if len(spec) > 4 else None
        AgendaItem.objects.get_or_create(
            session=session,
            title=title,
            defaults={
                "position": position,
                "kind": kind,
                "planned_minutes": minutes,
                "presenter": Person.objects.filter(council=council, last_name=last_name).first()
                if last_name
                else None,
                "presenter_organisation": Organisation.objects.filter(
                    council=council, short_name=org_key
                ).first(),
            },
        )


def _held(council: Council, specs) -> None:
    for day, place, items in specs:
        session = Session.objects.filter(council=council, date=day).first()
        if session is None:
            term = _term(council, day)
            session = Session.objects.create(
                council=council,
                term=term,
                number=_number(council, term),
                date=day,
                start_time=T(13, 0),
                end_time=T(15, 0),
                place=place,
                status=Session.Status.HELD,
            )
        _items(council, session, items)


def _upcoming(council: Council, days_ahead: int, items) -> None:
    today = timezone.localdate()
    if Session.objects.filter(
        council=council,
        date__gte=today,
        status__in=[Session.Status.DRAFT, Session.Status.CONVENED],
    ).exists():
        return
    from .services import session_create

    session = session_create(
        council=council,
        by=None,
        data={
            "date": today + datetime.timedelta(days=days_ahead),
            "start_time": T(13, 0),
            "end_time": T(15, 0),
            "place": "Mestna hiša Ptuj, Mestni trg 1, sejna soba",
        },
    )
    offset = session.agenda_items.count()
    _items(council, session, items, offset=offset)


def _upcoming_convened(council: Council, days_ahead: int, place: str, items) -> None:
    """A convened session ahead (demo shortcut: convened without sending e-mails)."""
    today = timezone.localdate()
    if Session.objects.filter(council=council, date__gte=today).exists():
        return
    day = today + datetime.timedelta(days=days_ahead)
    term = _term(council, day)
    session = Session.objects.create(
        council=council,
        term=term,
        number=_number(council, term),
        date=day,
        start_time=T(16, 0),
        end_time=T(17, 30),
        place=place,
        status=Session.Status.CONVENED,
    )
    _items(council, session, [spec[:4] for spec in items])
    for title, *_rest, public in items:
        if not public:
            AgendaItem.objects.filter(session=session, title=title).update(is_public=False)


def load_sessions_demo() -> None:
    ptuj = Council.objects.filter(slug="ptuj").first()
    if ptuj is not None:
        _held(ptuj, PTUJ_HELD)
        _minutes_for(ptuj)
        _upcoming(ptuj, 10, PTUJ_UPCOMING)
    sg = Council.objects.filter(slug="slovenj-gradec-mislinja").first()
    if sg is not None:
        _held(sg, SG_HELD)
        _minutes_for(sg)
        _upcoming_convened(
            sg, 20, "Mestna občina Slovenj Gradec, Šolska ulica 5, sejna soba", SG_UPCOMING
        )


def _minutes_for(council: Council) -> None:
    """Minutes with conclusions and tasks for every held demo session; earlier ones approved."""
    from . import services
    from .models import Minutes, Task

    held = list(
        Session.objects.filter(council=council, status=Session.Status.HELD).order_by("date")
    )
    chair = Person.objects.filter(council=council, memberships__role="chair").first()
    recorder = Person.objects.filter(council=council, memberships__role="secretary").first()
    today = timezone.localdate()
    for index, session in enumerate(held):
        if Minutes.objects.filter(session=session).exists():
            continue
        minutes = services.minutes_start(session=session, by=None)
        Minutes.objects.filter(pk=minutes.pk).update(chair=chair, recorder=recorder)
        minutes.refresh_from_db()
        for item in session.agenda_items.order_by("position"):
            record = item.record
            record.summary = (
                f"Razprava o točki »{item.title}«. Člani so podali pripombe in predloge."
            )
            record.save()
            verb = "Sprejme se" if item.kind == "decision" else "Člani se seznanijo z"
            conclusion = services.conclusion_add(
                minutes=minutes, by=None, agenda_item=item, text=f"{verb}: {item.title}."
            )
            if item.presenter_id and item.kind != "decision":
                due = session.date + datetime.timedelta(days=90)
                task = services.task_create(
                    conclusion=conclusion,
                    by=None,
                    data={
                        "title": f"Poročati o izvajanju ukrepov: {item.title[:120]}",
                        "responsible_person": item.presenter,
                        "responsible_organisation": item.presenter_organisation,
                        "due_date": due,
                    },
                )
                if index < len(held) - 2 and due < today:
                    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE)
        following = held[index + 1] if index + 1 < len(held) else None
        if following is not None:
            services.minutes_approve(
                minutes=minutes, by=None, approved_at_session=following, approved_on=following.date
            )
            services.minutes_publish(minutes=minutes, by=None)
