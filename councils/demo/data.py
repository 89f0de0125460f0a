"""Demo councils. Texts come from the seed documents; invented people use .example e-mails."""

import datetime

D = datetime.date
DEMO_PASSWORD = "sosvet-demo-2026"

PTUJ_PURPOSE = (
    "Varnostni sosvet Mestne občine Ptuj je bil ustanovljen v letu 2003 kot projekt partnerskega "
    "sodelovanja policijske postaje in lokalne skupnosti. Varnostni sosvet je ustanovljen z "
    "namenom, da Mestna občina Ptuj skupaj s Policijsko postajo Ptuj preprečuje nastanek različnih "
    "negativnih pojavov in s tem zagotovi večjo varnost občanov.\n\n"
    "Varnostni sosvet ni pravna oseba. Je skupni organ občine in policije, ustanovljen z namenom "
    "koordinirati in pospeševati delo vseh služb, ki lahko prispevajo k večji varnosti."
)
PTUJ_FUNCTIONS = (
    "Varnostni sosvet obravnava in analizira varnostne razmere s področja klasične kriminalitete, "
    "javnega reda in miru, varnosti v cestnem prometu, zaščite in reševanja, varnostne "
    "problematike mladih in vandalizma ter druge varnostne problematike, predlaga ukrepe za "
    "zagotavljanje prijaznejšega in varnejšega življenja in bivalnega okolja ter posreduje "
    "sporočila s preventivno vsebino.\n\n"
    "Člani varnostnega sosveta aktivno sodelujejo pri delu varnostnega sosveta, dajejo pobude in "
    "predloge za reševanje varnostnih problemov, izvajajo naloge iz njihove pristojnosti ali so "
    "jih prostovoljno sprejeli in delajo v korist splošne varnosti."
)
PTUJ_LEGAL = "35. člen Zakona o organiziranosti in delu v policiji."

SG_PURPOSE = (
    "Varnostni sosvet je bil ustanovljen z namenom, da Mestna občina Slovenj Gradec, Občina "
    "Mislinja skupaj s Policijsko postajo Slovenj Gradec preprečuje nastanek različnih negativnih "
    "pojavov in s tem zagotovi večjo varnost občanov. Varnostni sosvet je posvetovalno telo, ki ga "
    "sestavljajo stalni člani in za posamične primere tudi posamezniki in nestalni člani kot "
    "predstavniki organov in organizacij, ki delujejo na področju varnosti.\n\n"
    "Temeljna funkcija varnostnega sosveta je povezovanje, koordiniranje in usmerjanje organov, "
    "organizacij in drugih strokovnih dejavnikov, ki se ukvarjajo z varnostno problematiko, kot "
    "tudi drugih subjektov, ki lahko kadarkoli vplivajo na kvaliteto varnostne kulture v lokalni "
    "skupnosti."
)
SG_FUNCTIONS = "\n".join(
    [
        "Člani varnostnega sosveta aktivno sodelujejo pri delu posvetovalnega telesa:",
        "• dajejo pobude in predloge za reševanje varnostnih problemov,",
        "• izvajajo naloge, ki so jih prostovoljno sprejeli,",
        "• obravnavajo in analizirajo letno poročilo o varnostnih razmerah v lokalni skupnosti,",
        "• oblikujejo strategijo dela za odpravljanje vzrokov za razraščanje negativnih pojavov "
        "v lokalni skupnosti,",
        "• organizirajo okrogle mize o preventivnem delovanju,",
        "• sodelujejo na razstavah, sejmih in podobnih prireditvah, kjer lahko vzpodbujajo "
        "preventivno delovanje,",
        "• pripravijo letno poročilo in analizo rezultatov dela posvetovalnega telesa,",
        "• delujejo v korist splošne varnosti in ne zlorabljajo članstva v svojo lastno korist ali "
        "korist organa oziroma institucije, ki jo zastopajo,",
        "• seznanja javnost o svojem delu.",
    ]
)
SG_GOALS = "\n".join(
    [
        "• zmanjšanje števila varnostnih problemov v lokalni skupnosti,",
        "• povečan občutek varnosti,",
        "• partnersko sodelovanje pri zagotavljanju varnosti med policijo, organi lokalne "
        "skupnosti, gospodarstvom, zdravstvom, podjetniki, izobraževalnimi zavodi, socialnimi "
        "službami, občani in drugimi formalnimi in neformalnimi organizacijami,",
        "• medsebojna obveščenost partnerjev o varnostnih razmerah,",
        "• soodgovornost in porazdelitev nalog za zagotavljanje varnosti med partnerji.",
    ]
)

STORD_PURPOSE = (
    "Politirådet i Stord kommune har ansvar for mål og prioriteringar for rusmiddel- og "
    "kriminalitetsførebygginga i kommunen og innlemmar dei i planverka. Politirådet møtes fire "
    "gongar i året og fungerer som styringsgruppa for SLT-arbeidet."
)
STORD_GROUP_PURPOSE = (
    "Koordineringsgruppa er samansett av einingsleiarar eller andre relevante fagpersonar. Gruppa "
    "avdekker problem og utfordringar og set inn ressursar for målretta innsats i tråd med rammene "
    "frå politirådet."
)
PREROV_PURPOSE = (
    "Lokální partnerství sdružuje zástupce města, policie, městské policie, neziskových organizací, "
    "probační a mediační služby a OSPOD. Cílem je vzájemné informování a koordinování postupu "
    "práce v oblasti bezpečnosti."
)
PREROV_GROUP_PURPOSE = (
    "Pracovní skupina složená z policistů, zástupců neziskových organizací, města a strážníků "
    "(projekt „Tour de dvůr“). Zaměřuje se na problémy záškoláctví, drobnou kriminalitu a obavy "
    "obyvatel sociálně vyloučených lokalit před projevy extremismu. Členové se schází jednou "
    "měsíčně přímo ve vyloučených lokalitách."
)

PTUJ_TERM = (D(2022, 12, 1), D(2026, 11, 30))
PTUJ_PREVIOUS_TERM = (D(2018, 12, 1), D(2022, 11, 30))
PTUJ_NEXT_TERM = (D(2026, 12, 1), D(2030, 11, 30))

COUNCILS = [
    {
        "slug": "ptuj",
        "name": "Varnostni sosvet Mestne občine Ptuj",
        "short_name": "VS MO Ptuj",
        "municipalities": ["Mestna občina Ptuj"],
        "police_station": "Policijska postaja Ptuj",
        "purpose": PTUJ_PURPOSE,
        "functions": PTUJ_FUNCTIONS,
        "legal_basis": PTUJ_LEGAL,
        "contact_email": "varnostni.sosvet@ptuj.example",
        "terms": [PTUJ_PREVIOUS_TERM, PTUJ_TERM, PTUJ_NEXT_TERM],
        "organisations": [
            ("MOP", "Mestna občina Ptuj", "municipal"),
            ("PP Ptuj", "Policijska postaja Ptuj", "police"),
            ("SOU MO", "Skupna občinska uprava – Medobčinsko redarstvo", "wardens"),
            ("ČS Center", "Četrtna skupnost Center", "district"),
            ("ČS Ljudski vrt", "Četrtna skupnost Ljudski vrt", "district"),
            ("ČS Breg", "Četrtna skupnost Breg – Turnišče", "district"),
            ("CSD SP", "CSD Spodnje Podravje", "social"),
            ("ARS VITAE", "ARS VITAE, društvo za razvoj in izvajanje programov pomoči", "ngo"),
            ("CID", "Center interesnih dejavnosti Ptuj (CID Ptuj)", "ngo"),
            (
                "LAS",
                "Lokalna akcijska skupina za preprečevanje zasvojenosti v MO Ptuj (LAS)",
                "ngo",
            ),
            ("OŠ Mladika", "Osnovna šola Mladika", "school"),
            ("CZ", "Civilna zaščita MO Ptuj", "civil_protection"),
        ],
        "members": [
            {
                "first_name": "Nuška",
                "last_name": "Gajšek",
                "function": "županja Mestne občine Ptuj",
                "org": "MOP",
                "role": "chair",
                "email": "nuska.gajsek@ptuj.example",
                "phone": "+386 2 748 29 01",
            },
            {
                "first_name": "Aleksander",
                "last_name": "Lubej",
                "title": "mag.",
                "function": "načelnik PP Ptuj",
                "org": "PP Ptuj",
                "role": "deputy_chair",
                "email": "aleksander.lubej@policija.example",
                "phone": "+386 2 798 16 00",
            },
            {
                "first_name": "Primož",
                "last_name": "Korošak",
                "function": "višji svetovalec",
                "org": "MOP",
                "role": "secretary",
                "email": "primoz.korosak@ptuj.example",
                "phone": "+386 2 748 29 55",
            },
            {
                "first_name": "Mojca",
                "last_name": "Vaupotič",
                "function": "vodja redarstva",
                "org": "SOU MO",
                "email": "mojca.vaupotic@sou.example",
                "phone": "+386 2 748 30 10",
            },
            {
                "first_name": "Boštjan",
                "last_name": "Čeh",
                "function": "predsednik sveta ČS",
                "org": "ČS Center",
                "email": "bostjan.ceh@cs-center.example",
            },
            {
                "first_name": "Tjaša",
                "last_name": "Žnidarič",
                "function": "predsednica sveta ČS",
                "org": "ČS Ljudski vrt",
                "email": "tjasa.znidaric@cs-lv.example",
            },
            {
                "first_name": "Darko",
                "last_name": "Šmigoc",
                "function": "član sveta ČS",
                "org": "ČS Breg",
                "email": "darko.smigoc@cs-breg.example",
                "start": D(2022, 12, 1),
                "end": D(2023, 12, 31),
                "note": "Odstopil s funkcije ob koncu leta 2023.",
            },
            {
                "first_name": "Maja",
                "last_name": "Kokol",
                "function": "predsednica sveta ČS",
                "org": "ČS Breg",
                "email": "maja.kokol@cs-breg.example",
                "start": D(2024, 1, 15),
            },
            {
                "first_name": "Simona",
                "last_name": "Rajh",
                "function": "direktorica",
                "org": "CSD SP",
                "email": "simona.rajh@csd.example",
                "phone": "+386 2 787 58 00",
            },
            {
                "first_name": "Petra",
                "last_name": "Fras",
                "function": "strokovna vodja",
                "org": "ARS VITAE",
                "email": "petra.fras@arsvitae.example",
            },
            {
                "first_name": "Nina",
                "last_name": "Gorjup",
                "function": "direktorica",
                "org": "CID",
                "email": "nina.gorjup@cid.example",
            },
            {
                "first_name": "Andrej",
                "last_name": "Kirbiš",
                "function": "koordinator",
                "org": "LAS",
                "email": "andrej.kirbis@las.example",
            },
            {
                "first_name": "Katja",
                "last_name": "Ribič",
                "function": "ravnateljica",
                "org": "OŠ Mladika",
                "kind": "non_standing",
                "email": "katja.ribic@os.example",
                "start": D(2024, 3, 1),
                "end": D(2024, 6, 30),
                "note": "Varnost na šolskih poteh ob zaključku šolskega leta.",
            },
            {
                "first_name": "Jure",
                "last_name": "Štumberger",
                "function": "poveljnik CZ",
                "org": "CZ",
                "kind": "non_standing",
                "email": "jure.stumberger@cz.example",
                "start": D(2025, 10, 1),
                "note": "Zaščita in reševanje ob poplavah.",
            },
        ],
    },
    {
        "slug": "slovenj-gradec-mislinja",
        "name": "Varnostni sosvet Mestne občine Slovenj Gradec in Občine Mislinja",
        "short_name": "VS Slovenj Gradec–Mislinja",
        "municipalities": ["Mestna občina Slovenj Gradec", "Občina Mislinja"],
        "police_station": "Policijska postaja Slovenj Gradec",
        "purpose": SG_PURPOSE,
        "functions": SG_FUNCTIONS,
        "goals": SG_GOALS,
        "contact_email": "sosvet@slovenjgradec.example",
        "terms": [(D(2022, 12, 1), D(2026, 11, 30))],
        "organisations": [
            ("MOSG", "Mestna občina Slovenj Gradec", "municipal"),
            ("OM", "Občina Mislinja", "municipal"),
            ("PP SG", "Policijska postaja Slovenj Gradec", "police"),
            ("MIR", "Medobčinski inšpektorat in redarstvo Koroške", "wardens"),
            ("CSD K", "CSD Koroška, enota Slovenj Gradec", "social"),
            ("ZD SG", "Zdravstveni dom dr. Jožeta Potrča Slovenj Gradec", "health"),
            ("GŠ", "Gimnazija Slovenj Gradec", "school"),
        ],
        "members": [
            {
                "first_name": "Tilen",
                "last_name": "Klugler",
                "function": "župan MO Slovenj Gradec",
                "org": "MOSG",
                "role": "chair",
                "email": "tilen.klugler@sg.example",
            },
            {
                "first_name": "Bojan",
                "last_name": "Borovnik",
                "function": "župan Občine Mislinja",
                "org": "OM",
                "role": "deputy_chair",
                "email": "bojan.borovnik@mislinja.example",
            },
            {
                "first_name": "Urška",
                "last_name": "Pečovnik",
                "function": "svetovalka za varnost",
                "org": "MOSG",
                "role": "secretary",
                "email": "urska.pecovnik@sg.example",
            },
            {
                "first_name": "Gregor",
                "last_name": "Krevh",
                "function": "komandir PP Slovenj Gradec",
                "org": "PP SG",
                "email": "gregor.krevh@policija.example",
            },
            {
                "first_name": "Lidija",
                "last_name": "Pšeničnik",
                "function": "vodja inšpektorata",
                "org": "MIR",
                "email": "lidija.psenicnik@mir.example",
            },
            {
                "first_name": "Alenka",
                "last_name": "Ošlovnik",
                "function": "direktorica",
                "org": "CSD K",
                "email": "alenka.oslovnik@csd.example",
            },
            {
                "first_name": "Matej",
                "last_name": "Jevšnik",
                "function": "ravnatelj",
                "org": "GŠ",
                "kind": "non_standing",
                "email": "matej.jevsnik@gimsg.example",
                "start": D(2025, 9, 1),
                "note": "Varnost dijakov na prireditvah.",
            },
        ],
    },
    {
        "slug": "stord-politirad",
        "name": "Politirådet i Stord kommune",
        "short_name": "Politirådet Stord",
        "municipalities": ["Stord kommune"],
        "police_station": "Stord lensmannskontor",
        "purpose": STORD_PURPOSE,
        "language": "en",
        "alphabet": "nb",
        "contact_email": "slt@stord.example",
        "terms": [(D(2023, 10, 1), D(2027, 9, 30))],
        "organisations": [
            ("Kommune", "Stord kommune", "municipal"),
            ("Politi", "Stord lensmannskontor", "police"),
        ],
        "members": [
            {
                "first_name": "Åse",
                "last_name": "Ørstavik",
                "function": "ordførar",
                "org": "Kommune",
                "role": "chair",
                "email": "ase.orstavik@stord.example",
            },
            {
                "first_name": "Bjørn",
                "last_name": "Særheim",
                "function": "lensmann",
                "org": "Politi",
                "email": "bjorn.saerheim@politiet.example",
            },
            {
                "first_name": "Kåre",
                "last_name": "Håland",
                "function": "SLT-koordinator",
                "org": "Kommune",
                "role": "secretary",
                "email": "kare.haland@stord.example",
            },
        ],
    },
    {
        "slug": "stord-koordineringsgruppe",
        "parent": "stord-politirad",
        "name": "SLT-koordineringsgruppa Stord",
        "short_name": "Koordineringsgruppa",
        "municipalities": ["Stord kommune"],
        "purpose": STORD_GROUP_PURPOSE,
        "language": "en",
        "alphabet": "nb",
        "is_published": False,
        "terms": [(D(2023, 10, 1), D(2027, 9, 30))],
        "organisations": [
            ("Barnevern", "Barnevernstenesta", "social"),
            ("Skule", "Stord ungdomsskule", "school"),
        ],
        "members": [
            {
                "first_name": "Kåre",
                "last_name": "Håland",
                "function": "SLT-koordinator",
                "role": "chair",
                "email": "kare.haland@stord.example",
            },
            {
                "first_name": "Sølvi",
                "last_name": "Bø",
                "function": "leiar",
                "org": "Barnevern",
                "email": "solvi.bo@stord.example",
            },
        ],
    },
    {
        "slug": "prerov",
        "name": "Lokální partnerství Přerov",
        "short_name": "LP Přerov",
        "municipalities": ["Statutární město Přerov"],
        "police_station": "Obvodní oddělení Policie ČR Přerov",
        "purpose": PREROV_PURPOSE,
        "language": "en",
        "alphabet": "cs",
        "terms": [(D(2022, 10, 1), D(2026, 9, 30)), (D(2026, 10, 1), D(2030, 9, 30))],
        "organisations": [
            ("Město", "Město Přerov", "municipal"),
            ("PČR", "Policie ČR, OOP Přerov", "police"),
        ],
        "members": [
            {
                "first_name": "Petr",
                "last_name": "Měřínský",
                "function": "primátor",
                "org": "Město",
                "role": "chair",
                "email": "petr.merinsky@prerov.example",
                "start": D(2026, 10, 1),
            },
        ],
    },
    {
        "slug": "prerov-tour-de-dvur",
        "parent": "prerov",
        "name": "Pracovní skupina bezpečnost – Tour de dvůr",
        "short_name": "Tour de dvůr",
        "municipalities": ["Statutární město Přerov"],
        "purpose": PREROV_GROUP_PURPOSE,
        "language": "en",
        "alphabet": "cs",
        "terms": [(D(2026, 10, 1), D(2030, 9, 30))],
        "organisations": [
            ("MP", "Městská policie Přerov", "wardens"),
            ("PMS", "Probační a mediační služba", "other"),
        ],
        "members": [
            {
                "first_name": "Jiří",
                "last_name": "Dvořák",
                "function": "strážník",
                "org": "MP",
                "role": "chair",
                "email": "jiri.dvorak@mppr.example",
                "start": D(2026, 10, 1),
            },
            {
                "first_name": "Věra",
                "last_name": "Růžičková",
                "function": "probační úřednice",
                "org": "PMS",
                "email": "vera.ruzickova@pms.example",
                "start": D(2026, 10, 1),
            },
        ],
    },
]

USERS = [
    {
        "username": "admin",
        "first_name": "Site",
        "last_name": "Administrator",
        "email": "admin@sosvet.example",
        "superuser": True,
        "description": "site administrator (Django admin, every council)",
    },
    {
        "username": "ptuj-tajnik",
        "first_name": "Primož",
        "last_name": "Korošak",
        "email": "primoz.korosak@ptuj.example",
        "roles": [("ptuj", "secretary")],
        "person_of": "ptuj",
        "description": "secretary of VS MO Ptuj",
    },
    {
        "username": "ptuj-predsednica",
        "first_name": "Nuška",
        "last_name": "Gajšek",
        "email": "nuska.gajsek@ptuj.example",
        "roles": [("ptuj", "chair")],
        "person_of": "ptuj",
        "description": "chair of VS MO Ptuj (the mayor)",
    },
    {
        "username": "ptuj-clan",
        "first_name": "Simona",
        "last_name": "Rajh",
        "email": "simona.rajh@csd.example",
        "person_of": "ptuj",
        "description": "member of VS MO Ptuj (CSD Spodnje Podravje)",
    },
    {
        "username": "ptuj-zupanstvo",
        "first_name": "Eva",
        "last_name": "Lah",
        "email": "kabinet@ptuj.example",
        "roles": [("ptuj", "mayors_office")],
        "description": "mayor's office of MO Ptuj (reads, downloads reports)",
    },
    {
        "username": "sg-tajnica",
        "first_name": "Urška",
        "last_name": "Pečovnik",
        "email": "urska.pecovnik@sg.example",
        "roles": [("slovenj-gradec-mislinja", "secretary")],
        "person_of": "slovenj-gradec-mislinja",
        "description": "secretary of VS Slovenj Gradec–Mislinja",
    },
    {
        "username": "stord-koordinator",
        "first_name": "Kåre",
        "last_name": "Håland",
        "email": "kare.haland@stord.example",
        "roles": [("stord-politirad", "secretary"), ("stord-koordineringsgruppe", "secretary")],
        "person_of": "stord-politirad",
        "description": "SLT coordinator: secretary of the Stord police council and its group",
    },
]
