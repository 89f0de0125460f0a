"""Demo reports (called by ``manage.py load_demo`` after the demo sessions; idempotent).

The Ptuj council's "Poročilo o delu varnostnega sosveta v letu 2023 in plan dela
varnostnega sosveta v letu 2024" with the texts of the model document (shared seed 001),
adopted at the 2nd session of 2024 (19 March 2024) and published; and the 2024 report
with the plan for 2025 as a draft, so that the secretary has a working copy to edit and
next year's report shows the 2024 plan against the sessions held in 2024.
"""

from __future__ import annotations

import datetime

from councils.models import Council, Organisation
from sessions.models import Session

from .models import AnnualReport, PlannedSession, PlannedTopic

D = datetime.date

PTUJ_2023_INTRO = (
    "Varnostni sosvet Mestne občine Ptuj je bil ustanovljen v letu 2003 kot projekt "
    "partnerskega sodelovanja policijske postaje v okviru svojih pristojnosti sodelujejo z "
    "organi lokalnih skupnosti na področjih, ki se nanašajo na izboljšanje varnosti v lokalni "
    "skupnosti. Podlaga za sodelovanje je v 35. členu Zakona o organiziranosti in delu v "
    "policiji.\n\n"
    "Varnostni sosvet je ustanovljen z namenom, da Mestna občina Ptuj skupaj s Policijsko "
    "postajo Ptuj preprečuje nastanek različnih negativnih pojavov in s tem zagotovi večjo "
    "varnost občanov. Varnostni sosvet daje pobude in predloge za reševanje varnostnih "
    "problemov. Člani varnostnega sosveta aktivno sodelujejo pri delu varnostnega sosveta, "
    "dajejo pobude in predloge za reševanje varnostnih problemov, izvajajo naloge iz njihove "
    "pristojnosti ali so jih prostovoljno sprejeli in delajo v korist splošne varnosti. "
    "Varnostni sosvet je obravnaval in analiziral varnostne razmere s področja klasične "
    "kriminalitete, javnega reda in miru, varnosti v cestnem prometu, zaščite in reševanja, "
    "varnostne problematike mladih in vandalizma ter druge varnostne problematike, predlagal "
    "ukrepe za zagotavljanje prijaznejšega in varnejšega življenja in bivalnega okolja ter "
    "posredoval sporočila s preventivno vsebino. Varnostni sosvet ni pravna oseba. Varnostni "
    "sosvet je skupni organ občine in policije, ustanovljen za namenom koordinirati in "
    "pospeševati delo vseh služb, ki lahko prispevajo k večji varnosti."
)
# The seed's 1.2 without the chair and the term of office: the report prints those from the
# memberships and terms.
PTUJ_2023_MEMBERSHIP = (
    "Funkcija člana varnostnega sosveta je častna. Člani varnostnega sosveta so "
    "predstavniki policije, mestne "
    "uprave, medobčinskega redarstva, četrtnih skupnosti in predstavniki tistih organov, "
    "služb, organizacij in društev, ki lahko prispevajo k večji varnosti v občini. Člani "
    "varnostnega sosveta aktivno sodelujejo pri delu varnostnega sosveta, dajejo pobude in "
    "predloge za reševanje varnostnih problemov ter izvajajo naloge iz njihove pristojnosti."
)
PTUJ_2023_SESSIONS = (
    "Prva seja Varnostnega sosveta Mestne občine Ptuj v letu 2023 je potekala 7. 4. 2023. Na "
    "seji se je konstituiral varnostni sosvet v novem mandatu 2022 - 2026. Potrdilo se je "
    "poročilo o delu varnostnega sosveta v letu 2022 in sprejelo Načrt dela za leto 2023. "
    "Načelnik PP Ptuj mag. Aleksander LUBEJ je predstavil Informacijo o varnostnih pojavih na "
    "območju Mestne občine Ptuj v letu 2022."
)
PTUJ_2023_EXPLANATION = (
    "V letu 2023 je bila sklicana samo ena seja varnostnega sosveta. Ker ni bilo podane "
    "pobude po sklicu dodatnih sej, pa to ne pomeni, da se varnostna problematika ni "
    "obravnavala. Vsak od deležnikov je tudi v letu 2023 opravil zadane naloge, ki jih izvaja "
    "v okviru svojih pristojnosti."
)
PTUJ_2023_CONCLUSION = (
    "Stanje varnosti v Mestni občini Ptuj, je rezultat dela več generacij. K rezultatu, ki se "
    "izraža, aktivno prispevamo vsi občani Mestne občine Ptuj. Vsebine varnosti, kot osnovne "
    "človekove potrebe, prepredajo pore naših življenj. Varnost se obravnava pri vsakodnevnih "
    "odločitvah dela mestne uprave, odločitvah svetov, dela policistov in policistk, redarske "
    "službe ter vseh organizacij in društev, ki opravljajo delo na področju varnosti, zaščite "
    "in reševanja. Varna skupnost je pogoj, da se tukaj kjer živimo počutimo varni in "
    "sprejeti. Varnostni sosvet je ustanovljen z namenom, da Mestna občina Ptuj skupaj s "
    "Policijsko postajo Ptuj preprečuje nastanek različnih negativnih pojavov in s tem "
    "zagotovi večjo varnost občanov."
)
PTUJ_IMPLEMENTATION = (
    "Člani sveta bodo na sejo vabljeni z vabilom. Z vabilom bo podan tudi predviden dnevni "
    "red. Člani sveta, lahko na seji predlagajo dopolnitev dnevnega reda."
)
PTUJ_SIGNATURES = {
    "prepared_by": "Primož KOROŠAK",
    "chair_name": "Nuška Gajšek",
    "chair_function": "županja Mestne občine Ptuj\npredsednica varnostnega sosveta",
}

PTUJ_2023 = {
    "intro_text": PTUJ_2023_INTRO,
    "membership_text": PTUJ_2023_MEMBERSHIP,
    "sessions_text": PTUJ_2023_SESSIONS,
    "planned_sessions_explanation": PTUJ_2023_EXPLANATION,
    "conclusion_text": PTUJ_2023_CONCLUSION,
    "implementation_text": PTUJ_IMPLEMENTATION,
    **PTUJ_SIGNATURES,
}
# 2.1: (number, month)
PTUJ_2024_PLAN_SESSIONS = [(2, 3), (3, 6), (4, 11)]
# 2.2: (text, month or None = throughout the year)
PTUJ_2024_PLAN_TOPICS = [
    ("Aktualna varnostna problematika", None),
    ("Informacije o varnostnih pojavih na območju Mestne občine Ptuj", 3),
    ("Varnostni ukrepi ob zaključku šolskega leta", 6),
    ("Zagotavljanje varnosti v počitniškem času", 6),
    ("Priprave na novo šolsko leto", 6),
    ("Zagotavljanje varnosti v času decembrskih praznikov", 11),
]
# 2.2: presentations of projects by stakeholders (organisation short names of the demo)
PTUJ_2024_PRESENTATIONS = ["ARS VITAE", "CSD SP", "LAS", "CID"]
PTUJ_2023_ADOPTED = D(2024, 3, 19)

PTUJ_2024 = {
    "intro_text": PTUJ_2023_INTRO,
    "membership_text": PTUJ_2023_MEMBERSHIP,
    "sessions_text": (
        "V letu 2024 so bile izvedene vse tri seje, načrtovane v planu dela. Obravnavane so bile "
        "informacije o varnostnih pojavih v letu 2023, varnost ob zaključku šolskega leta in v "
        "počitniškem času ter varnost v času decembrskih praznikov; deležniki so predstavili "
        "svoje projekte."
    ),
    "planned_sessions_explanation": "",
    "conclusion_text": "",
    "implementation_text": PTUJ_IMPLEMENTATION,
    **PTUJ_SIGNATURES,
}
PTUJ_2025_PLAN_SESSIONS = [(5, 3), (6, 11)]
PTUJ_2025_PLAN_TOPICS = [
    ("Aktualna varnostna problematika", None),
    ("Informacije o varnostnih pojavih na območju Mestne občine Ptuj", 3),
    ("Zaščita in reševanje ob poplavah", 11),
    ("Zagotavljanje varnosti v času decembrskih praznikov", 11),
]


def _report(council: Council, year: int, texts: dict) -> AnnualReport:
    """The report of ``year``: created with ``texts``; a draft's texts are restored, an
    adopted report is an official record and never touched."""
    report = AnnualReport.objects.filter(council=council, year=year).first()
    if report is None:
        return AnnualReport.objects.create(council=council, year=year, **texts)
    if report.is_draft:
        changed = [name for name, value in texts.items() if getattr(report, name) != value]
        if changed:
            for name in changed:
                setattr(report, name, texts[name])
            report.save(update_fields=changed)
    return report


def _plan(report: AnnualReport, sessions, topics, presentations=()) -> None:
    """The plan rows, created once (a plan the secretary has started is left as it is)."""
    if report.planned_sessions.exists() or report.planned_topics.exists():
        return
    for number, month in sessions:
        PlannedSession.objects.create(report=report, number=number, month=month)
    for text, month in topics:
        PlannedTopic.objects.create(report=report, text=text, month=month)
    for short_name in presentations:
        organisation = Organisation.objects.filter(
            council=report.council, short_name=short_name
        ).first()
        if organisation is not None:
            PlannedTopic.objects.create(
                report=report, kind=PlannedTopic.Kind.PRESENTATION, organisation=organisation
            )


def _link_plan_to_sessions(report: AnnualReport) -> None:
    """Link the planned sessions to the demo sessions held in their months."""
    sessions = Session.objects.filter(council=report.council, date__year=report.plan_year)
    for planned in report.planned_sessions.filter(session__isnull=True):
        held = sessions.filter(date__month=planned.month).first()
        if held is not None:
            planned.session = held
            planned.save(update_fields=["session"])


def load_reports_demo() -> None:
    from .services import report_adopt, report_publish

    ptuj = Council.objects.filter(slug="ptuj").first()
    if ptuj is None:
        return
    report = _report(ptuj, 2023, PTUJ_2023)
    _plan(report, PTUJ_2024_PLAN_SESSIONS, PTUJ_2024_PLAN_TOPICS, PTUJ_2024_PRESENTATIONS)
    _link_plan_to_sessions(report)
    adopted_at = Session.objects.filter(council=ptuj, date=PTUJ_2023_ADOPTED).first()
    if report.is_draft and not report.revisions.exists() and adopted_at is not None:
        report_adopt(
            report=report,
            by=None,
            adopted_on=PTUJ_2023_ADOPTED,
            adopted_at_session=adopted_at,
            as_of=PTUJ_2023_ADOPTED,
        )
        report_publish(report=report, by=None)

    draft = _report(ptuj, 2024, PTUJ_2024)
    _plan(draft, PTUJ_2025_PLAN_SESSIONS, PTUJ_2025_PLAN_TOPICS, ["CSD SP"])
    _link_plan_to_sessions(draft)
