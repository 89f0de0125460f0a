"""Forms of the councils app, and the write pages that show their errors."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from councils.forms import CouncilProfileForm, MembershipFilterForm, MembershipForm
from councils.models import Council, Membership, Organisation, Person, Term

from ..factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    TermFactory,
)

D = datetime.date

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


@pytest.fixture
def person(council):
    return PersonFactory(council=council, first_name="Simona", last_name="Rajh")


@pytest.fixture
def organisation(council):
    return OrganisationFactory(council=council, name="CSD Spodnje Podravje", kind="social")


@pytest.fixture
def foreign(other_council):
    """Records of the other council that must never be offered or accepted."""
    return {
        "person": PersonFactory(council=other_council, first_name="Alenka", last_name="Ošlovnik"),
        "organisation": OrganisationFactory(council=other_council, name="CSD Koroška"),
        "term": TermFactory(council=other_council),
    }


def membership_data(person, organisation=None, term=None, **overrides) -> dict:
    data = {
        "person": person.pk,
        "organisation": organisation.pk if organisation else "",
        "role": "member",
        "kind": "standing",
        "term": term.pk if term else "",
        "start_date": "2023-01-01",
        "end_date": "",
        "note": "",
    }
    data.update(overrides)
    return data


# --- MembershipForm ----------------------------------------------------------------------


def test_membership_form_offers_only_the_councils_records(
    council, person, organisation, term, foreign
):
    form = MembershipForm(council=council)

    assert list(form.fields["person"].queryset) == [person]
    assert list(form.fields["organisation"].queryset) == [organisation]
    assert list(form.fields["term"].queryset) == [term]


@pytest.mark.parametrize("field", ["person", "organisation", "term"])
def test_membership_form_rejects_another_councils_record(
    council, person, organisation, term, foreign, field
):
    data = membership_data(person, organisation, term)
    data[field] = foreign[field].pk

    form = MembershipForm(data, council=council)

    assert form.is_valid() is False
    assert form.errors == {field: [INVALID_CHOICE]}


def test_membership_form_valid_data_builds_membership_of_the_council(
    council, person, organisation, term
):
    form = MembershipForm(
        membership_data(person, organisation, term, end_date="2024-06-30", note="CSD"),
        council=council,
    )

    assert form.is_valid(), form.errors
    assert (form.instance.council, form.instance.person, form.instance.end_date) == (
        council,
        person,
        D(2024, 6, 30),
    )
    assert Membership.objects.count() == 0  # the form validates, a service writes


def test_membership_form_requires_person_and_start(council):
    form = MembershipForm({"role": "member", "kind": "standing"}, council=council)

    assert form.errors == {
        "person": ["This field is required."],
        "start_date": ["This field is required."],
    }


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"start_date": "2024-05-01", "end_date": "2024-04-30"},
            {"end_date": ["The membership cannot end before it starts."]},
        ),
        (
            {"start_date": "2022-11-30"},
            {"start_date": ["The start must lie within the term of office 2022–2026."]},
        ),
        (
            {"end_date": "2026-12-01"},
            {"end_date": ["The end must lie within the term of office 2022–2026."]},
        ),
        ({"start_date": "2023-13-01"}, {"start_date": ["Enter a valid date."]}),
        (
            {"role": "boss"},
            {"role": ["Select a valid choice. boss is not one of the available choices."]},
        ),
    ],
)
def test_membership_form_shows_date_and_choice_errors_on_their_field(
    council, person, term, overrides, errors
):
    form = MembershipForm(membership_data(person, term=term, **overrides), council=council)

    assert form.errors == errors


def test_membership_form_rejects_overlapping_membership_on_person(council, person):
    MembershipFactory(council=council, person=person, start_date=D(2022, 12, 1))

    form = MembershipForm(membership_data(person, start_date="2024-01-01"), council=council)

    assert form.errors == {
        "person": ["This person already has a membership of this council in this period."]
    }


def test_membership_form_rejects_second_chair_on_role(council, person):
    chair = PersonFactory(council=council, first_name="Nuška", last_name="Gajšek")
    MembershipFactory(council=council, person=chair, role="chair", start_date=D(2022, 12, 1))

    form = MembershipForm(membership_data(person, role="chair"), council=council)

    assert form.errors == {"role": ["Nuška Gajšek is already the chair in this period."]}


def test_membership_form_editing_keeps_own_membership_out_of_overlap(council, person):
    membership = MembershipFactory(council=council, person=person, role="chair")

    form = MembershipForm(
        membership_data(person, role="chair", note="popravek"), instance=membership, council=council
    )

    assert form.is_valid(), form.errors


# --- MembershipFilterForm ------------------------------------------------------------------


def test_membership_filter_form_offers_only_the_councils_organisations(
    council, organisation, foreign
):
    form = MembershipFilterForm(council=council)

    assert list(form.fields["organisation"].queryset) == [organisation]


def test_membership_filter_form_cleans_filters(council, organisation):
    form = MembershipFilterForm(
        {
            "kind": "non_standing",
            "role": "chair",
            "organisation": organisation.pk,
            "active_on": "2024-03-01",
            "year": "2024",
        },
        council=council,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "kind": "non_standing",
        "role": "chair",
        "organisation": organisation,
        "active_on": D(2024, 3, 1),
        "year": 2024,
    }


def test_membership_filter_form_empty_means_no_filter(council):
    form = MembershipFilterForm({}, council=council)

    assert form.is_valid()
    assert form.cleaned_data == {
        "kind": "",
        "role": "",
        "organisation": None,
        "active_on": None,
        "year": None,
    }


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"year": "1989"}, {"year": ["Ensure this value is greater than or equal to 1990."]}),
        ({"year": "2101"}, {"year": ["Ensure this value is less than or equal to 2100."]}),
        ({"year": "last"}, {"year": ["Enter a whole number."]}),
        ({"active_on": "yesterday"}, {"active_on": ["Enter a valid date."]}),
        (
            {"kind": "sometimes"},
            {"kind": ["Select a valid choice. sometimes is not one of the available choices."]},
        ),
    ],
)
def test_membership_filter_form_rejects_invalid_filters(council, data, errors):
    assert MembershipFilterForm(data, council=council).errors == errors


def test_membership_filter_form_rejects_another_councils_organisation(council, foreign):
    form = MembershipFilterForm({"organisation": foreign["organisation"].pk}, council=council)

    assert form.errors == {"organisation": [INVALID_CHOICE]}


def test_membership_filter_form_styles_widgets_for_bootstrap(council):
    form = MembershipFilterForm(council=council)

    assert {name: field.widget.attrs["class"] for name, field in form.fields.items()} == {
        "kind": "form-select",
        "role": "form-select",
        "organisation": "form-select",
        "active_on": "form-control",
        "year": "form-control",
    }


def test_membership_list_page_applies_filter_form(en_client, council, organisation):
    csd_2023 = MembershipFactory(
        council=council,
        organisation=organisation,
        start_date=D(2023, 1, 1),
        end_date=D(2023, 6, 30),
    )
    MembershipFactory(council=council, organisation=organisation, start_date=D(2024, 1, 1))
    MembershipFactory(council=council, start_date=D(2023, 1, 1))

    response = en_client.get(
        reverse("councils:membership_list", kwargs={"council_slug": council.slug}),
        {"year": "2023", "organisation": organisation.pk},
    )

    assert list(response.context["memberships"]) == [csd_2023]
    assert response.context["filter_form"].cleaned_data["year"] == 2023


def test_membership_list_page_defaults_to_members_active_today(en_client, council):
    today = timezone.localdate()
    active = MembershipFactory(council=council, start_date=today - datetime.timedelta(days=30))
    MembershipFactory(council=council, start_date=D(2020, 1, 1), end_date=D(2020, 12, 31))

    response = en_client.get(
        reverse("councils:membership_list", kwargs={"council_slug": council.slug})
    )

    assert list(response.context["memberships"]) == [active]


def test_membership_list_page_two_keeps_default_active_today_filter(en_client, council):
    today = timezone.localdate()
    for number in range(51):
        MembershipFactory(
            council=council,
            person=PersonFactory(council=council, last_name=f"Aktiven {number:02d}"),
            start_date=D(2023, 1, 1),
        )
    MembershipFactory(
        council=council,
        person=PersonFactory(council=council, last_name="Bivši"),
        start_date=D(2020, 1, 1),
        end_date=today - datetime.timedelta(days=1),
    )
    list_url = reverse("councils:membership_list", kwargs={"council_slug": council.slug})

    first = en_client.get(list_url)
    second = en_client.get(list_url, {"page": 2})

    assert first.context["page_obj"].paginator.num_pages == 2
    assert [m.person.last_name for m in second.context["memberships"]] == ["Aktiven 50"]


# --- CouncilProfileForm ----------------------------------------------------------------------


def profile_data(council, **overrides) -> dict:
    data = {
        "name": council.name,
        "short_name": council.short_name,
        "police_station": "",
        "purpose": "",
        "functions": "",
        "goals": "",
        "legal_basis": "",
        "contact_email": "",
        "language": "sl",
        "alphabet": "sl",
    }
    data.update(overrides)
    return data


def profile_form(council, logo=None, **overrides) -> CouncilProfileForm:
    files = {"logo": logo} if logo is not None else {}
    return CouncilProfileForm(profile_data(council, **overrides), files, instance=council)


def test_council_profile_form_accepts_small_png(council, make_image):
    form = profile_form(council, SimpleUploadedFile("logo.png", make_image("PNG"), "image/png"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["logo"].image.format == "PNG"


def test_council_profile_form_accepts_jpeg(council, make_image):
    form = profile_form(council, SimpleUploadedFile("logo.jpg", make_image("JPEG"), "image/jpeg"))

    assert form.is_valid(), form.errors


def test_council_profile_form_rejects_logo_over_1_mb(council, make_image):
    content = make_image("PNG", size=(700, 700), noise=True)
    assert len(content) > 1024 * 1024

    form = profile_form(council, SimpleUploadedFile("logo.png", content, "image/png"))

    assert form.errors == {"logo": ["The logo may be at most 1 MB."]}


def test_council_profile_form_rejects_non_image_file(council):
    upload = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", "image/png")

    form = profile_form(council, upload)

    assert form.errors == {
        "logo": [
            "Upload a valid image. The file you uploaded was either not an image or a "
            "corrupted image."
        ]
    }


def test_council_profile_form_rejects_image_that_is_not_png_or_jpeg(council, make_image):
    form = profile_form(council, SimpleUploadedFile("logo.gif", make_image("GIF"), "image/gif"))

    assert form.errors == {"logo": ["Upload the logo as a PNG or JPEG image."]}


def test_council_profile_form_keeps_existing_logo_without_upload(council, make_image):
    council.logo.save("logo.png", SimpleUploadedFile("logo.png", make_image("PNG")))

    form = profile_form(council)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["logo"].name == council.logo.name


def test_council_profile_form_survives_missing_logo_file(council):
    Council.objects.filter(pk=council.pk).update(logo="logos/missing.png")
    council.refresh_from_db()

    form = profile_form(council)

    assert form.is_valid(), form.errors


def test_council_profile_form_requires_name(council):
    form = profile_form(council, name="")

    assert form.errors == {"name": ["This field is required."]}


# --- write pages: invalid data is shown again, typed values kept, nothing saved --------------


def url(name, council, **kwargs):
    return reverse(f"councils:{name}", kwargs={"council_slug": council.slug, **kwargs})


def field_errors(response, field=None) -> list[str]:
    form = response.context["form"]
    return form.non_field_errors() if field is None else form.errors[field]


def test_membership_create_page_shows_error_and_keeps_typed_values(
    en_client, council, person, organisation, term
):
    data = membership_data(
        person,
        organisation,
        term,
        start_date="2024-05-01",
        end_date="2024-04-30",
        note="Varnost na šolskih poteh",
    )

    response = en_client.post(url("membership_create", council), data)

    assert response.status_code == 200
    assert field_errors(response, "end_date") == ["The membership cannot end before it starts."]
    assert list(response.context["form"].errors) == ["end_date"]
    content = response.content.decode()
    assert "The membership cannot end before it starts." in content
    assert 'value="2024-05-01"' in content
    assert 'value="2024-04-30"' in content
    assert 'value="Varnost na šolskih poteh"' in content
    assert f'<option value="{person.pk}" selected>' in content
    assert Membership.objects.count() == 0


def test_membership_create_page_rejects_another_councils_person(
    en_client, council, person, foreign
):
    response = en_client.post(
        url("membership_create", council), membership_data(foreign["person"], note="vsiljivec")
    )

    assert response.status_code == 200
    assert field_errors(response, "person") == [INVALID_CHOICE]
    assert escape(INVALID_CHOICE) in response.content.decode()
    assert "Alenka" not in response.content.decode()
    assert 'value="vsiljivec"' in response.content.decode()
    assert Membership.objects.count() == 0


def test_membership_create_page_rejects_second_chair(en_client, council, person):
    chair = PersonFactory(council=council, first_name="Nuška", last_name="Gajšek")
    MembershipFactory(council=council, person=chair, role="chair", start_date=D(2022, 12, 1))

    response = en_client.post(
        url("membership_create", council), membership_data(person, role="chair")
    )

    assert field_errors(response, "role") == ["Nuška Gajšek is already the chair in this period."]
    assert "Nuška Gajšek is already the chair in this period." in response.content.decode()
    assert list(Membership.objects.values_list("person__last_name", flat=True)) == ["Gajšek"]


def test_membership_create_page_saves_valid_membership(
    en_client, council, person, organisation, term, secretary
):
    response = en_client.post(
        url("membership_create", council), membership_data(person, organisation, term)
    )

    assert response.status_code == 302
    assert response["Location"] == url("membership_list", council)
    membership = Membership.objects.get()
    assert (membership.council, membership.person, membership.organisation, membership.term) == (
        council,
        person,
        organisation,
        term,
    )
    # The change is recorded with the signed-in user.
    assert membership.history.get().history_user == secretary


def test_membership_edit_page_shows_error_and_keeps_stored_values(en_client, council, person):
    membership = MembershipFactory(council=council, person=person, start_date=D(2023, 1, 1))
    data = membership_data(person, start_date="2023-01-01", end_date="2022-01-01", note="nov")

    response = en_client.post(url("membership_edit", council, pk=membership.pk), data)

    assert field_errors(response, "end_date") == ["The membership cannot end before it starts."]
    assert 'value="nov"' in response.content.decode()
    stored = Membership.objects.get(pk=membership.pk)
    assert (stored.end_date, stored.note) == (None, "")


def test_membership_end_page_rejects_end_before_start(en_client, council, person):
    membership = MembershipFactory(council=council, person=person, start_date=D(2023, 1, 1))

    response = en_client.post(
        url("membership_end", council, pk=membership.pk), {"end_date": "2022-12-31"}
    )

    assert response.status_code == 200
    assert field_errors(response, "end_date") == ["The membership cannot end before it starts."]
    assert 'value="2022-12-31"' in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).end_date is None


def test_membership_end_page_ends_membership(en_client, council, person):
    membership = MembershipFactory(council=council, person=person, start_date=D(2023, 1, 1))

    response = en_client.post(
        url("membership_end", council, pk=membership.pk), {"end_date": "2024-06-30"}
    )

    assert response.status_code == 302
    assert Membership.objects.get(pk=membership.pk).end_date == D(2024, 6, 30)


def test_term_create_page_shows_overlap_from_service(en_client, council, term):
    response = en_client.post(
        url("term_create", council), {"start_date": "2025-01-01", "end_date": "2028-12-31"}
    )

    assert response.status_code == 200
    assert field_errors(response) == ["This term overlaps the term 2022–2026."]
    content = response.content.decode()
    assert "This term overlaps the term 2022–2026." in content
    assert 'value="2025-01-01"' in content
    assert 'value="2028-12-31"' in content
    assert list(Term.objects.all()) == [term]


def test_organisation_create_page_shows_duplicate_name(en_client, council, organisation):
    response = en_client.post(
        url("organisation_create", council),
        {"name": "CSD Spodnje Podravje", "short_name": "Dvojnik", "kind": "social", "website": ""},
    )

    assert response.status_code == 200
    assert field_errors(response) == [
        "An organisation with this name already exists in this council."
    ]
    assert 'value="Dvojnik"' in response.content.decode()
    assert list(Organisation.objects.all()) == [organisation]


def test_person_create_page_shows_invalid_email(en_client, council):
    response = en_client.post(
        url("person_create", council),
        {"first_name": "Ana", "last_name": "Kos", "email": "ana@", "phone": "+386 2 000"},
    )

    assert response.status_code == 200
    assert field_errors(response, "email") == ["Enter a valid email address."]
    content = response.content.decode()
    assert 'value="Ana"' in content
    assert 'value="+386 2 000"' in content
    assert Person.objects.count() == 0


def test_council_edit_page_rejects_non_image_logo_and_saves_nothing(en_client, council):
    ptuj = MunicipalityFactory(name="Mestna občina Ptuj")
    data = profile_data(council, name="Novo ime", municipalities=[ptuj.pk])
    data["logo"] = SimpleUploadedFile("logo.png", b"not an image", "image/png")

    response = en_client.post(url("council_edit", council), data)

    assert response.status_code == 200
    assert field_errors(response, "logo") == [
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ]
    assert 'value="Novo ime"' in response.content.decode()
    stored = Council.objects.get(pk=council.pk)
    assert (stored.name, stored.logo.name, list(stored.municipalities.all())) == (
        "Varnostni sosvet Mestne občine Ptuj",
        "",
        [],
    )


def test_council_edit_page_saves_png_logo(en_client, council, make_image):
    data = profile_data(council)
    data["logo"] = SimpleUploadedFile("grb.png", make_image("PNG"), "image/png")

    response = en_client.post(url("council_edit", council), data)

    assert response.status_code == 302
    stored = Council.objects.get(pk=council.pk)
    assert stored.logo.name.startswith("logos/grb")
    assert stored.logo.name.endswith(".png")


def test_write_page_is_slovenian_by_default(client, secretary, council, person):
    client.force_login(secretary)

    response = client.post(
        url("membership_create", council),
        membership_data(person, start_date="2024-05-01", end_date="2024-04-30"),
    )

    assert response.status_code == 200
    assert response["Content-Language"] == "sl"
    assert Membership.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("+386 2 748 29 00", "+386 2 748 29 00"),
        ("02/748-29-00", "02/748-29-00"),
        ("  041  123 456 ", "041 123 456"),
        ("(02) 748.29.00", "(02) 748.29.00"),
        ("", ""),
    ],
)
def test_person_form_takes_a_phone_number_as_people_write_it(typed, kept):
    from councils.forms import PersonForm

    form = PersonForm(data={"first_name": "Ana", "last_name": "Kos", "phone": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == kept


@pytest.mark.parametrize("typed", ["abc xyz", "12345", "041 123 456 ext. 5", "+386 2 748 29 00 x"])
def test_person_form_refuses_what_is_not_a_phone_number(typed):
    from councils.forms import PersonForm

    form = PersonForm(data={"first_name": "Ana", "last_name": "Kos", "phone": typed})
    assert not form.is_valid()
    assert form.errors["phone"] == [
        "Enter a phone number: digits, spaces and + - / ( ), e.g. +386 2 748 29 00."
    ]
