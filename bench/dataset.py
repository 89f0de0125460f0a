"""The national-scale dataset of the load benchmarks (bench/national.py, bench/load.py).

    from bench.dataset import Scale, seed
    counts = seed(Scale(councils=200, years=10))

Seeds, with ``bulk_create`` and without history records, into the configured database
(it must hold no councils yet):

- ``councils`` councils (about one in six a joint council of two or three
  municipalities), every public page published; three terms of office, ten organisations,
  about 22 people (each with a unique e-mail address and phone number: private data) and
  14 memberships per term with chair, deputy chair, secretary and non-standing members;
- ``years`` full years (ending last year) of ``sessions_per_year`` sessions each, plus
  this year's: agenda items (a standing approval of the minutes and review of
  conclusions, topics, a not-public item now and then), the record of every item,
  conclusions (some not public), tasks, attendance, and minutes approved at the next
  session and published, each with its approved version (snapshot and PDF bytes); the
  latest session's minutes are a draft, and one session is convened in the coming days;
- the nine built-in safety indicators for every founding municipality and year;
- an annual report and work plan for every year (plan rows for the next year), adopted
  at the first session of the next year and published: its revision holds the snapshot
  assembled by ``reports.annual.report_snapshot`` (with the indicator annex);
- two logins per council (``bench-tajnik-NNN``, the secretary, and ``bench-clan-NNN``, a
  member through a membership), password ``BENCH_PASSWORD``.

The PDF bytes of the approved minutes and of the adopted reports are real documents from
the pipeline (one minutes PDF and one report PDF, rendered once and stored for every
version: the pages under test never read them). ``render_pdfs=False`` stores a minimal
placeholder instead (the smoke test).

Everything is derived from ``Scale.seed``: the same scale gives the same data.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

BENCH_PASSWORD = "sosvet-bench-2026"
PLACEHOLDER_PDF = b"%PDF-1.7\n% sosvet benchmark placeholder\n%%EOF\n"

ROOTS = [
    "Bistrica", "Loka", "Gora", "Polje", "Dol", "Brdo", "Lipa", "Breg", "Ravne", "Vrh",
    "Sela", "Grad", "Rečica", "Lesce", "Trnovo", "Log", "Žabnica", "Šmarje", "Čatež",
    "Hrastnik", "Kamnik", "Most", "Brezje", "Dobrava", "Jesenice", "Laško", "Sora",
    "Vransko", "Zreče", "Ig",
]  # fmt: skip
PREFIXES = ["", "Gornja ", "Dolnja ", "Stara ", "Nova ", "Velika ", "Mala ", "Spodnja "]

ORGANISATIONS = [
    ("municipal", "{municipality}"),
    ("police", "Policijska postaja {place}"),
    ("wardens", "Medobčinsko redarstvo {place}"),
    ("district", "Krajevna skupnost {place} – center"),
    ("social", "Center za socialno delo {place}"),
    ("school", "Osnovna šola {place}"),
    ("health", "Zdravstveni dom {place}"),
    ("civil_protection", "Gasilska zveza {place}"),
    ("ngo", "Društvo upokojencev {place}"),
    ("other", "Svet za preventivo in vzgojo v cestnem prometu {place}"),
]

FIRST_NAMES = [
    "Ana", "Matej", "Nuška", "Primož", "Katja", "Aleksander", "Mojca", "Darko", "Tjaša",
    "Boštjan", "Simona", "Petra", "Nina", "Andrej", "Urška", "Tilen", "Marko", "Barbara",
    "Jure", "Maja", "Gregor", "Špela", "Rok", "Irena", "Luka", "Mateja", "Žiga", "Helena",
]  # fmt: skip
LAST_NAMES = [
    "Novak", "Horvat", "Kovačič", "Krajnc", "Zupančič", "Potočnik", "Kovač", "Mlakar",
    "Kos", "Vidmar", "Golob", "Turk", "Božič", "Kralj", "Korošec", "Zupan", "Bizjak",
    "Hribar", "Kotnik", "Rozman", "Petek", "Kastelic", "Žagar", "Košir", "Koren", "Ribič",
]  # fmt: skip
FUNCTIONS = {
    "municipal": ["župan", "direktorica občinske uprave", "višji svetovalec za varnost"],
    "police": ["komandir policijske postaje", "vodja policijskega okoliša"],
    "wardens": ["vodja medobčinskega redarstva"],
    "district": ["predsednik krajevne skupnosti"],
    "social": ["direktorica centra za socialno delo"],
    "school": ["ravnateljica"],
    "health": ["direktor zdravstvenega doma"],
    "civil_protection": ["poveljnik gasilske zveze"],
    "ngo": ["predsednica društva"],
    "other": ["predsednik sveta"],
}
TOPICS = [
    "Informacija o varnostnih razmerah v letu {previous}",
    "Varnost v času poletnih prireditev",
    "Varne šolske poti in začetek šolskega leta",
    "Preprečevanje nasilja v družini",
    "Prometna varnost na lokalnih cestah",
    "Zagotavljanje varnosti v času decembrskih praznikov",
    "Problematika vandalizma in poškodovanja javnih površin",
    "Preventivni projekti za starejše občane",
    "Zaščita in reševanje ob naravnih nesrečah",
    "Kibernetska varnost otrok in mladostnikov",
]
PURPOSE = (
    "Varnostni sosvet je bil ustanovljen z namenom, da občina skupaj s policijsko postajo "
    "preprečuje nastanek različnih negativnih pojavov in s tem zagotovi večjo varnost "
    "občanov. Varnostni sosvet je posvetovalno telo, ki ga sestavljajo stalni člani in za "
    "posamične primere tudi nestalni člani kot predstavniki organov in organizacij, ki "
    "delujejo na področju varnosti."
)
FUNCTIONS_TEXT = (
    "Temeljna funkcija varnostnega sosveta je povezovanje, koordiniranje in usmerjanje "
    "organov, organizacij in drugih strokovnih dejavnikov, ki se ukvarjajo z varnostno "
    "problematiko. Člani dajejo pobude in predloge za reševanje varnostnih problemov, "
    "izvajajo naloge, ki so jih prostovoljno sprejeli, in seznanjajo javnost o svojem delu."
)
GOALS = (
    "Zmanjšanje števila varnostnih problemov v lokalni skupnosti, povečan občutek varnosti, "
    "partnersko sodelovanje pri zagotavljanju varnosti in medsebojna obveščenost partnerjev "
    "o varnostnih razmerah."
)
INTRODUCTION = (
    "Seja je bila sklepčna. Predsedujoči je predlagal dnevni red, ki je bil soglasno sprejet."
)
REPORT_CONCLUSION = "Sosvet je v letu uspešno povezoval partnerje na področju varnosti."
SUMMARY = (
    "Uvodno obrazložitev je podal poročevalec. V razpravi so člani opozorili na stanje na "
    "terenu, predstavili aktivnosti svojih organizacij in predlagali nadaljnje ukrepe. "
    "Predsedujoči je povzel razpravo in predlagal sklep."
)

# code -> (per 1000 inhabitants, decimals, is a rate between min and max)
INDICATORS = {
    "crime_total": (20.0, 0, None),
    "crime_property": (12.0, 0, None),
    "crime_domestic_violence": (1.0, 0, None),
    "crime_clearance_rate": (None, 1, (45.0, 72.0)),
    "public_order_offences": (12.0, 0, None),
    "traffic_fatal": (0.05, 0, None),
    "traffic_serious_injury": (0.35, 0, None),
    "traffic_minor_injury": (4.0, 0, None),
    "traffic_property_damage": (10.0, 0, None),
}


@dataclass(frozen=True)
class Scale:
    """How much to seed; the benchmarks store it with the data (``as_dict``)."""

    councils: int = 200
    years: int = 10
    sessions_per_year: int = 4
    seed: int = 6
    #: the last full year of data (default: last year)
    last_year: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Counts:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        self.rows[name] = self.rows.get(name, 0) + count


def _bulk(model, objects: list, counts: Counts, name: str | None = None) -> list:
    created = model.objects.bulk_create(objects, batch_size=2000)
    counts.add(name or model._meta.model_name, len(created))
    return created


@contextlib.contextmanager
def _part(counts: Counts, log: Callable[[str], None], name: str):
    started = time.perf_counter()
    yield
    counts.seconds[name] = time.perf_counter() - started
    log(f"  seeded {name:<12} in {counts.seconds[name]:6.1f} s")


def _municipality_name(rng: random.Random, number: int) -> tuple[str, str]:
    root = ROOTS[number % len(ROOTS)]
    prefix = PREFIXES[(number // len(ROOTS)) % len(PREFIXES)]
    place = f"{prefix}{root}"
    if number >= len(ROOTS) * len(PREFIXES):
        place = f"{place} {number // (len(ROOTS) * len(PREFIXES)) + 1}"
    return f"Občina {place}", place


def _terms_for(
    first: datetime.date, last: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """Four-year terms from 1 December (2022-12-01 – 2026-11-30 …) covering first…last."""
    start_year = 2022 - 4 * ((2022 - first.year + 4) // 4)
    terms = []
    while True:
        start = datetime.date(start_year, 12, 1)
        end = datetime.date(start_year + 4, 11, 30)
        if start > last:
            break
        if end >= first:
            terms.append((start, end))
        start_year += 4
    return terms


def seed(
    scale: Scale,
    *,
    today: datetime.date | None = None,
    render_pdfs: bool = True,
    log: Callable[[str], None] = print,
) -> Counts:
    """Seed the dataset (see the module docstring) into an installation without councils."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from councils.models import Council

    if Council.objects.exists():
        raise RuntimeError("the database already holds councils: seed an empty installation")
    today = today or timezone.localdate()
    last_year = scale.last_year or today.year - 1
    years = list(range(last_year - scale.years + 1, last_year + 1))
    rng = random.Random(scale.seed)
    counts = Counts()
    state = _State(scale=scale, today=today, years=years, rng=rng, counts=counts)

    with transaction.atomic():
        with _part(counts, log, "councils"):
            _councils(state)
        with _part(counts, log, "people"):
            _people(state)
        with _part(counts, log, "sessions"):
            _sessions(state)
        with _part(counts, log, "minutes"):
            _minutes(state, render_pdfs=render_pdfs)
        with _part(counts, log, "indicators"):
            _indicators(state)
        with _part(counts, log, "reports"):
            _reports(state, render_pdfs=render_pdfs)
        with _part(counts, log, "logins"):
            User = get_user_model()
            _logins(state, User, make_password(BENCH_PASSWORD))
    return counts


@dataclass
class _State:
    scale: Scale
    today: datetime.date
    years: list[int]
    rng: random.Random
    counts: Counts
    councils: list = field(default_factory=list)
    places: dict[int, str] = field(default_factory=dict)  # council id -> place
    municipalities: dict[int, list] = field(default_factory=dict)  # council id -> [Municipality]
    terms: dict[int, list] = field(default_factory=dict)  # council id -> [Term] (oldest first)
    organisations: dict[int, dict[str, object]] = field(default_factory=dict)
    members: dict[tuple[int, int], list] = field(default_factory=dict)  # (council, term) -> [M]
    sessions: dict[int, list] = field(default_factory=dict)  # council id -> [Session] by date
    population: dict[int, int] = field(default_factory=dict)  # municipality id -> inhabitants
    items: dict[int, list] = field(default_factory=dict)  # session id -> [AgendaItem]
    conclusions: dict[int, list] = field(default_factory=dict)  # session id -> [Conclusion]
    tasks: dict[int, list] = field(default_factory=dict)  # conclusion id -> [Task]


def _councils(state: _State) -> None:
    from councils.models import Council, Municipality, Organisation, Term

    rng, scale = state.rng, state.scale
    municipality_names: list[tuple[str, str]] = []
    plans: list[list[int]] = []  # per council: indexes into municipality_names
    number = 0
    for index in range(scale.councils):
        size = 1 if index % 6 else rng.choice([2, 2, 3])
        plans.append(list(range(number, number + size)))
        for _ in range(size):
            municipality_names.append(_municipality_name(rng, number))
            number += 1
    municipalities = _bulk(
        Municipality,
        [
            Municipality(name=name, code=str(1000 + i))
            for i, (name, _place) in enumerate(municipality_names)
        ],
        state.counts,
    )
    for municipality in municipalities:
        state.population[municipality.pk] = int(rng.lognormvariate(9.4, 0.9)) + 1500
    councils = []
    for index, plan in enumerate(plans):
        places = [municipality_names[i][1] for i in plan]
        if len(plan) == 1:
            name = f"Varnostni sosvet Občine {places[0]}"
            short = f"VS {places[0]}"
        else:
            name = "Medobčinski varnostni sosvet " + " – ".join(places)
            short = f"MVS {places[0]}"
        councils.append(
            Council(
                name=name,
                short_name=short[:80],
                slug=f"vs-{index + 1:03d}",
                police_station=f"Policijska postaja {places[0]}",
                purpose=PURPOSE,
                functions=FUNCTIONS_TEXT,
                goals=GOALS,
                legal_basis="Zakon o lokalni samoupravi in Zakon o policiji.",
                contact_email=f"sosvet@vs-{index + 1:03d}.example.si",
                language="sl",
                is_published=True,
            )
        )
    state.councils = _bulk(Council, councils, state.counts)
    through = Council.municipalities.through
    links = []
    for council, plan in zip(state.councils, plans, strict=True):
        state.municipalities[council.pk] = [municipalities[i] for i in plan]
        state.places[council.pk] = municipality_names[plan[0]][1]
        links += [
            through(council_id=council.pk, municipality_id=municipalities[i].pk) for i in plan
        ]
    _bulk(through, links, state.counts, "council_municipalities")

    first = datetime.date(state.years[0], 1, 1)
    last = state.today + datetime.timedelta(days=60)
    term_dates = _terms_for(first, last)
    terms = _bulk(
        Term,
        [Term(council=c, start_date=s, end_date=e) for c in state.councils for s, e in term_dates],
        state.counts,
    )
    for term in terms:
        state.terms.setdefault(term.council_id, []).append(term)
    organisations = []
    for council in state.councils:
        place = state.places[council.pk]
        for kind, pattern in ORGANISATIONS:
            municipality = state.municipalities[council.pk][0].name
            organisations.append(
                Organisation(
                    council=council,
                    name=pattern.format(place=place, municipality=municipality),
                    kind=kind,
                )
            )
        for extra in state.municipalities[council.pk][1:]:
            organisations.append(Organisation(council=council, name=extra.name, kind="municipal"))
    for organisation in _bulk(Organisation, organisations, state.counts):
        state.organisations.setdefault(organisation.council_id, {}).setdefault(
            organisation.kind, organisation
        )


def _people(state: _State) -> None:
    from councils.models import Membership, Person

    rng = state.rng
    people, seats = [], []  # seats: (council, term index, person index, kind, role, org kind)
    serial = 0
    for council in state.councils:
        terms = state.terms[council.pk]
        council_people: list[Person] = []
        previous: list[int] = []
        for term_index, _term in enumerate(terms):
            chosen: list[int] = []
            for seat in range(14):
                if previous and seat < len(previous) and rng.random() < 0.7:
                    person_index = previous[seat]
                else:
                    serial += 1
                    first_name = FIRST_NAMES[serial % len(FIRST_NAMES)]
                    last_name = LAST_NAMES[(serial * 7) % len(LAST_NAMES)]
                    council_people.append(
                        Person(
                            council=council,
                            first_name=first_name,
                            last_name=last_name,
                            title="mag." if serial % 9 == 0 else "",
                            email=f"oseba{serial:06d}@zasebno.example.si",
                            phone=f"+386 41 {serial:06d}",
                        )
                    )
                    person_index = len(council_people) - 1
                chosen.append(person_index)
            previous = chosen
            for seat, person_index in enumerate(chosen):
                kind = "non_standing" if seat >= 12 else "standing"
                role = {0: "chair", 1: "deputy_chair", 2: "secretary"}.get(seat, "member")
                org_kind = [k for k, _p in ORGANISATIONS][seat % len(ORGANISATIONS)]
                if seat == 2:
                    org_kind = "municipal"
                seats.append(
                    (council, term_index, len(people) + person_index, kind, role, org_kind)
                )
        people += council_people
    for person, organisation_kind in zip(people, _person_functions(people, seats), strict=True):
        person.function = organisation_kind
    people = _bulk(Person, people, state.counts)
    memberships = []
    current = state.today
    for council, term_index, person_index, kind, role, org_kind in seats:
        term = state.terms[council.pk][term_index]
        memberships.append(
            Membership(
                council=council,
                person=people[person_index],
                organisation=state.organisations[council.pk][org_kind],
                role=role,
                kind=kind,
                term=term,
                start_date=term.start_date,
                end_date=None if term.start_date <= current <= term.end_date else term.end_date,
                note="Obravnava posameznih primerov" if kind == "non_standing" else "",
            )
        )
    for membership in _bulk(Membership, memberships, state.counts):
        state.members.setdefault((membership.council_id, membership.term_id), []).append(membership)


def _person_functions(people: list, seats: list) -> list[str]:
    """A function for every person, from the kind of organisation of their first seat."""
    functions = [""] * len(people)
    for _council, _term, person_index, _kind, role, org_kind in seats:
        if not functions[person_index]:
            options = FUNCTIONS[org_kind]
            functions[person_index] = options[0] if role == "chair" else options[-1]
    return functions


def _session_dates(state: _State) -> list[tuple[datetime.date, str]]:
    """(date, status) of one council's sessions: the full years, then this year's."""
    rng, today = state.rng, state.today
    months = [3, 6, 9, 12][: state.scale.sessions_per_year] or [3]
    if state.scale.sessions_per_year > 4:
        months = sorted(
            {
                1 + (12 * i) // state.scale.sessions_per_year
                for i in range(state.scale.sessions_per_year)
            }
        )
    dates = []
    for year in state.years:
        for month in months:
            dates.append((datetime.date(year, month, 5 + rng.randrange(18)), "closed"))
    for month in months:
        day = datetime.date(today.year, month, 5 + rng.randrange(18))
        if today.year > state.years[-1] and day < today - datetime.timedelta(days=7):
            dates.append((day, "closed"))
    if dates:
        dates[-1] = (dates[-1][0], "held")  # its minutes are still a draft
    dates.append((today + datetime.timedelta(days=10), "convened"))
    dates.append((today + datetime.timedelta(days=45), "draft"))
    return dates


def _term_of(terms: list, day: datetime.date):
    return next((t for t in terms if t.start_date <= day <= t.end_date), terms[-1])


def _sessions(state: _State) -> None:
    from sessions.models import AgendaItem, Conclusion, Session, Task

    rng = state.rng
    sessions = []
    for council in state.councils:
        terms = state.terms[council.pk]
        numbers: dict[int, int] = {}
        for day, status in _session_dates(state):
            term = _term_of(terms, day)
            numbers[term.pk] = numbers.get(term.pk, 0) + 1
            sessions.append(
                Session(
                    council=council,
                    term=term,
                    number=numbers[term.pk],
                    date=day,
                    start_time=datetime.time(13, 0),
                    end_time=datetime.time(15, 0),
                    place=f"Sejna soba, {state.municipalities[council.pk][0].name}",
                    status=status,
                )
            )
    sessions = _bulk(Session, sessions, state.counts)
    for session in sessions:
        state.sessions.setdefault(session.council_id, []).append(session)

    items = []
    for session in sessions:
        topics = rng.sample(TOPICS, 2)
        previous = session.date.year - 1
        rows = [
            (f"Potrditev zapisnika {max(session.number - 1, 1)}. seje", "minutes_approval", True),
            ("Pregled realizacije sklepov", "conclusions_review", True),
            (topics[0].format(previous=previous), "", True),
            (topics[1].format(previous=previous), "", True),
            (
                ("Obravnava posameznega primera", "", False)
                if rng.random() < 0.2
                else ("Pobude in vprašanja članov", "", True)
            ),
        ]
        organisations = state.organisations[session.council_id]
        for position, (title, standing, is_public) in enumerate(rows, start=1):
            items.append(
                AgendaItem(
                    session=session,
                    position=position,
                    title=title,
                    description="Gradivo je priloženo vabilu." if position > 2 else "",
                    presenter_organisation=organisations["police"] if position == 3 else None,
                    kind="decision" if standing == "minutes_approval" else "discussion",
                    planned_minutes=20,
                    is_public=is_public,
                    standing=standing,
                )
            )
    items = _bulk(AgendaItem, items, state.counts)
    for item in items:
        state.items.setdefault(item.session_id, []).append(item)

    conclusions = []
    held = [s for s in sessions if s.status in ("held", "closed")]
    for session in held:
        session_items = state.items[session.pk]
        for number, item in enumerate((session_items[0], session_items[2], session_items[3]), 1):
            conclusions.append(
                Conclusion(
                    council_id=session.council_id,
                    session=session,
                    agenda_item=item,
                    number=number,
                    text=(
                        "Zapisnik prejšnje seje se potrdi v predloženem besedilu."
                        if number == 1
                        else f"Varnostni sosvet se je seznanil s točko »{item.title}« in "
                        "predlaga pristojnim organom izvedbo dogovorjenih ukrepov."
                    ),
                    is_public=item.is_public and rng.random() > 0.1,
                )
            )
    conclusions = _bulk(Conclusion, conclusions, state.counts)
    for conclusion in conclusions:
        state.conclusions.setdefault(conclusion.session_id, []).append(conclusion)
    tasks = []
    by_pk = {s.pk: s for s in held}
    for conclusion in conclusions:
        if conclusion.number == 1:
            continue
        session = by_pk[conclusion.session_id]
        old = session.date < state.today - datetime.timedelta(days=180)
        tasks.append(
            Task(
                council_id=conclusion.council_id,
                conclusion=conclusion,
                title="Pripraviti predlog ukrepov in poročati na naslednji seji",
                responsible_organisation=state.organisations[conclusion.council_id]["police"],
                due_date=session.date + datetime.timedelta(days=60),
                status="done" if old else rng.choice(["open", "in_progress"]),
            )
        )
    for task in _bulk(Task, tasks, state.counts):
        state.tasks.setdefault(task.conclusion_id, []).append(task)


def _minutes(state: _State, *, render_pdfs: bool) -> None:
    from django.utils import timezone

    from sessions.models import AttendanceRecord, ItemRecord, Minutes, MinutesVersion

    rng = state.rng
    minutes_rows = []
    approvals: dict[int, object] = {}  # session id -> the next session (approves the minutes)
    for council in state.councils:
        sessions = state.sessions[council.pk]
        held = [s for s in sessions if s.status in ("held", "closed")]
        for index, session in enumerate(held):
            members = state.members[(council.pk, session.term_id)]
            chair = next(m for m in members if m.role == "chair").person
            recorder = next(m for m in members if m.role == "secretary").person
            approving = held[index + 1] if session.status == "closed" else None
            if approving is not None:
                approvals[session.pk] = approving
            published = (
                timezone.make_aware(datetime.datetime.combine(approving.date, datetime.time(16, 0)))
                if approving
                else None
            )
            minutes_rows.append(
                Minutes(
                    session=session,
                    status="published" if approving else "draft",
                    chair=chair,
                    recorder=recorder,
                    started_at=datetime.time(13, 0),
                    ended_at=datetime.time(14, 40),
                    introduction=INTRODUCTION,
                    approved_on=approving.date if approving else None,
                    approved_at_session=approving,
                    published_at=published,
                )
            )
    minutes_rows = _bulk(Minutes, minutes_rows, state.counts)
    records, attendance = [], []
    attendance_of: dict[int, list] = {}  # minutes id -> [AttendanceRecord]
    sessions_by_pk = {s.pk: s for sessions in state.sessions.values() for s in sessions}
    organisation_names = {
        o.pk: o.name for kinds in state.organisations.values() for o in kinds.values()
    }
    for minutes in minutes_rows:
        session = sessions_by_pk[minutes.session_id]
        for item in state.items[session.pk]:
            records.append(ItemRecord(minutes=minutes, agenda_item=item, summary=SUMMARY))
        for position, membership in enumerate(state.members[(session.council_id, session.term_id)]):
            roll = rng.random()
            presence = "present" if roll < 0.8 else "excused" if roll < 0.95 else "absent"
            record = AttendanceRecord(
                minutes=minutes,
                person=membership.person,
                name=membership.person.full_name,
                organisation_name=organisation_names[membership.organisation_id],
                presence=presence,
                position=position,
            )
            attendance.append(record)
            attendance_of.setdefault(minutes.pk, []).append(record)
    _bulk(ItemRecord, records, state.counts)
    _bulk(AttendanceRecord, attendance, state.counts)

    published = [m for m in minutes_rows if m.status == "published"]
    pdf = PLACEHOLDER_PDF
    snapshots = {
        m.pk: _minutes_snapshot(state, m, sessions_by_pk[m.session_id], attendance_of[m.pk])
        for m in published
    }
    if render_pdfs and published:
        from sessions.documents import minutes_pdf

        first = published[0]
        first.session = sessions_by_pk[first.session_id]
        pdf = minutes_pdf(minutes=first, snapshot=snapshots[first.pk], version=1)
    digest = hashlib.sha256(pdf).hexdigest()
    _bulk(
        MinutesVersion,
        [
            MinutesVersion(
                minutes=m,
                number=1,
                snapshot=snapshots[m.pk],
                pdf=pdf,
                pdf_sha256=digest,
                approved_on=m.approved_on,
                approved_at_session=approvals[m.session_id],
                published_at=m.published_at,  # as minutes_publish stamps the version
            )
            for m in published
        ],
        state.counts,
    )


def _minutes_snapshot(state: _State, minutes, session, attendance: list) -> dict:
    """The snapshot ``sessions.services.minutes_snapshot`` stores, built from the rows."""
    conclusions_by_item: dict[int, list] = {}
    for conclusion in state.conclusions.get(session.pk, []):
        conclusions_by_item.setdefault(conclusion.agenda_item_id, []).append(conclusion)
    police = state.organisations[session.council_id]["police"].name
    return {
        "session": {
            "number": session.number,
            "date": session.date.isoformat(),
            "start_time": session.start_time.strftime("%H:%M"),
            "place": session.place,
        },
        "chair": minutes.chair.full_name,
        "recorder": minutes.recorder.full_name,
        "introduction": minutes.introduction,
        "attendance": [
            {
                "name": r.name,
                "organisation": r.organisation_name,
                "presence": r.presence,
                "substitute_for": "",
            }
            for r in attendance
        ],
        "items": [
            {
                "position": item.position,
                "title": item.title,
                "is_public": item.is_public,
                "summary": SUMMARY,
                "conclusions": [
                    {
                        "label": f"{session.number}/{c.number}",
                        "text": c.text,
                        "is_public": c.is_public,
                        "tasks": [
                            {
                                "title": t.title,
                                "responsible": police,
                                "due_date": t.due_date.isoformat() if t.due_date else "",
                            }
                            for t in state.tasks.get(c.pk, [])
                        ],
                    }
                    for c in conclusions_by_item.get(item.pk, [])
                ],
            }
            for item in state.items[session.pk]
        ],
    }


def _indicators(state: _State) -> None:
    from councils.models import Indicator, IndicatorValue, standard_indicators_ensure

    standard_indicators_ensure()
    indicators = {i.code: i for i in Indicator.objects.standard()}
    rng = state.rng
    values = []
    for council in state.councils:
        for municipality in state.municipalities[council.pk]:
            population = state.population[municipality.pk]
            for code, (per_thousand, decimals, bounds) in INDICATORS.items():
                if bounds:
                    level = rng.uniform(*bounds)
                else:
                    level = population / 1000 * per_thousand * rng.uniform(0.6, 1.4)
                for year in state.years:
                    level *= rng.uniform(0.9, 1.1)
                    if bounds:
                        level = min(max(level, bounds[0] - 5), bounds[1] + 5)
                    value = round(Decimal(str(level)), decimals)
                    values.append(
                        IndicatorValue(
                            council=council,
                            indicator=indicators[code],
                            municipality=municipality,
                            year=year,
                            value=value,
                        )
                    )
    _bulk(IndicatorValue, values, state.counts)


def _reports(state: _State, *, render_pdfs: bool) -> None:
    from django.utils import timezone

    from reports import annual
    from reports.models import AnnualReport, PlannedSession, PlannedTopic, ReportRevision

    reports, adopted_at = [], {}
    for council in state.councils:
        sessions = [s for s in state.sessions[council.pk] if s.status in ("held", "closed")]
        members = state.members
        for year in state.years:
            session = next((s for s in sessions if s.date.year == year + 1), None)
            term = _term_of(state.terms[council.pk], datetime.date(year, 12, 31))
            seats = members[(council.pk, term.pk)]
            chair = next(m for m in seats if m.role == "chair").person
            secretary = next(m for m in seats if m.role == "secretary").person
            report = AnnualReport(
                council=council,
                year=year,
                status="published" if session else "draft",
                intro_text=PURPOSE,
                membership_text="Članstvo v varnostnem sosvetu je častno.",
                sessions_text="Na sejah je sosvet obravnaval aktualne varnostne razmere.",
                planned_sessions_explanation="",
                conclusion_text=REPORT_CONCLUSION,
                implementation_text="Člani bodo na vsako sejo vabljeni z vabilom.",
                include_indicators=True,
                prepared_by=secretary.full_name,
                chair_name=chair.full_name,
                chair_function="župan\npredsednik varnostnega sosveta",
                adopted_on=session.date if session else None,
                adopted_at_session=session,
                published_at=(
                    timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(17)))
                    if session
                    else None
                ),
            )
            reports.append(report)
            if session:
                adopted_at[(council.pk, year)] = session
    reports = _bulk(AnnualReport, reports, state.counts)
    plan_sessions, plan_topics = [], []
    for report in reports:
        for number, month in enumerate([3, 6, 9, 12], start=1):
            plan_sessions.append(PlannedSession(report=report, number=number, month=month))
        for month, text in (
            (None, "Aktualna varnostna problematika"),
            (6, TOPICS[2]),
            (11, TOPICS[5]),
        ):
            plan_topics.append(PlannedTopic(report=report, text=text, month=month))
    _bulk(PlannedSession, plan_sessions, state.counts)
    _bulk(PlannedTopic, plan_topics, state.counts)

    councils = {c.pk: c for c in state.councils}
    revisions = []
    pdf, digest = None, ""
    for report in reports:
        session = adopted_at.get((report.council_id, report.year))
        if session is None:
            continue
        report.council = councils[report.council_id]
        adoption = {
            "revision": 1,
            "adopted_on": session.date.isoformat(),
            "session_number": session.number,
            "session_date": session.date.isoformat(),
            "correction": "",
        }
        snapshot = annual.report_snapshot(report=report, adoption=adoption, today=session.date)
        if pdf is None:
            pdf = (
                annual.report_pdf(council=report.council, snapshot=snapshot, is_draft=False)
                if render_pdfs
                else PLACEHOLDER_PDF
            )
            digest = hashlib.sha256(pdf).hexdigest()
        revisions.append(
            ReportRevision(
                report=report,
                number=1,
                pdf=pdf,
                sha256=digest,
                size=len(pdf),
                snapshot=snapshot,
                language="sl",
                adopted_on=session.date,
                adopted_at_session=session,
                published_at=report.published_at,
            )
        )
    _bulk(ReportRevision, revisions, state.counts)


def _logins(state: _State, User, password_hash: str) -> None:
    from councils.models import CouncilRole, Person

    users = []
    for index, _council in enumerate(state.councils, start=1):
        for kind in ("tajnik", "clan"):
            users.append(
                User(
                    username=f"bench-{kind}-{index:03d}",
                    email=f"bench-{kind}-{index:03d}@example.si",
                    first_name=kind.capitalize(),
                    last_name=f"{index:03d}",
                    password=password_hash,
                    is_active=True,
                )
            )
    users = _bulk(User, users, state.counts, "users")
    roles, linked = [], []
    for index, council in enumerate(state.councils):
        secretary, member = users[2 * index], users[2 * index + 1]
        roles.append(CouncilRole(council=council, user=secretary, role="secretary"))
        current = _term_of(state.terms[council.pk], state.today)
        seat = next(m for m in state.members[(council.pk, current.pk)] if m.role == "member")
        seat.person.user = member
        linked.append(seat.person)
    _bulk(CouncilRole, roles, state.counts)
    Person.objects.bulk_update(linked, ["user"], batch_size=2000)


def main() -> None:
    """``python -m bench.dataset '{"councils": 200, "years": 10}'``: seed the database of
    the environment (DATABASE_URL, DJANGO_SETTINGS_MODULE); used by bench/harness.py."""
    import json
    import os
    import sys

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sosvet.settings")
    import django

    django.setup()
    scale = Scale(**json.loads(sys.argv[1] if len(sys.argv) > 1 else "{}"))
    counts = seed(scale)
    rows = ", ".join(f"{name} {count}" for name, count in counts.rows.items())
    print(f"  rows: {rows}", flush=True)


if __name__ == "__main__":
    main()
