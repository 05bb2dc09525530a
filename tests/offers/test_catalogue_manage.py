"""The coordinator's pages: create, change and validate providers, practitioners, offers, tiers."""

from decimal import Decimal

import pytest
from django.urls import reverse

from offers.models import (
    Offer,
    OfferCancellationPolicy,
    OfferPrice,
    Practitioner,
    Provider,
    Tier,
    TierInclusion,
)
from offers.selectors_catalogue import offer_prices
from partnership.roles import Role
from tests.factories import UserFactory

from . import catalogue_factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client_for, coordinator, partnership_record):
    return client_for(coordinator)


def errors(response):
    """The messages in the page's GOV.UK error summary, in order."""
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "<title>Error: " in page
    form = response.context.get("form")
    found = []
    if form is not None:
        found += [e for field in form for e in field.errors] + list(form.non_field_errors())
    inclusions = response.context.get("inclusions")
    if inclusions is not None:
        found += [e for row in inclusions for field in row for e in field.errors]
        found += list(inclusions.non_form_errors())
    return found


OFFER_FORM = {
    "code": "lle-support",
    "name": "Extra LLE support",
    "description": "Up to two days of an LLE's time.",
    "strand": "additional",
    "unit": "day",
    "capacity": "42",
    "vat_rate": "",
    "active": "on",
    "member__all": "525",
    "member__secondary": "£1,050.00",
    "non_member__all": "650.50",
    "unit_cost__all": "500",
}


def offer_form(provider, **changes):
    data = {**OFFER_FORM, "provider": provider.pk}
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


# Providers


def test_the_coordinator_adds_a_provider(client):
    response = client.post(
        reverse("offers:manage_provider_create"),
        {"code": "lle", "name": "LLE and SLE network", "contact_email": "lle@example.org"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("offers:manage_providers")
    provider = Provider.objects.get(code="lle")
    assert (provider.name, provider.contact_email) == ("LLE and SLE network", "lle@example.org")
    page = client.get(response["Location"]).content.decode()
    assert "LLE and SLE network added" in page


def test_the_coordinator_renames_a_provider(client):
    make.provider("hash", "HASH")
    response = client.post(
        reverse("offers:manage_provider_edit", args=["hash"]),
        {"code": "hash", "name": "HASH / Primary Forum", "contact_email": ""},
    )
    assert response.status_code == 302
    assert Provider.objects.get(code="hash").name == "HASH / Primary Forum"


def test_a_provider_code_must_be_unique_and_well_formed(client):
    make.provider("hash", "HASH")
    response = client.post(
        reverse("offers:manage_provider_create"), {"code": "HASH", "name": "Again"}
    )
    assert errors(response) == ["There is already a provider with the code HASH"]
    response = client.post(
        reverse("offers:manage_provider_create"), {"code": "two words", "name": ""}
    )
    assert errors(response) == [
        "Enter a code of letters, digits, hyphens or underscores",
        "Enter the provider's name",
    ]
    assert Provider.objects.count() == 1


# Practitioners


def practitioner_form(provider, **changes):
    data = {
        "name": "Sam Lee",
        "designation": "SLE",
        "provider": provider.pk,
        "email": "sam.lee@school.example",
        "day_cost": "350",
        "days_available": "15.5",
        "user": "",
        "active": "on",
    }
    data.update(changes)
    return data


def test_the_coordinator_adds_a_practitioner_linked_to_their_account(client, practitioner_user):
    provider = make.provider()
    response = client.post(
        reverse("offers:manage_practitioner_create"),
        practitioner_form(provider, user=practitioner_user.pk),
    )
    assert response.status_code == 302
    practitioner = Practitioner.objects.get()
    assert practitioner.day_cost == Decimal("350.00")
    assert practitioner.days_available == Decimal("15.5")
    assert practitioner.user == practitioner_user
    assert practitioner.designation == "SLE"


def test_the_coordinator_changes_a_practitioners_day_cost(client):
    practitioner = make.practitioner()
    response = client.post(
        reverse("offers:manage_practitioner_edit", args=[practitioner.pk]),
        practitioner_form(practitioner.provider, day_cost="£1,000.50", days_available="10"),
    )
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.day_cost == Decimal("1000.50")
    assert practitioner.days_available == Decimal("10.0")


def test_only_unlinked_practitioner_accounts_can_be_chosen(client, practitioner_user, head_a):
    other = UserFactory(role=Role.PRACTITIONER, email="taken@partnership.example")
    make.practitioner("Taken", user=other)
    form = client.get(reverse("offers:manage_practitioner_create")).context["form"]
    assert list(form.fields["user"].queryset) == [practitioner_user]

    response = client.post(
        reverse("offers:manage_practitioner_create"),
        practitioner_form(make.provider(), user=head_a.pk),
    )
    assert errors(response) == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_practitioner_validation(client):
    provider = make.provider()
    response = client.post(
        reverse("offers:manage_practitioner_create"),
        practitioner_form(provider, name="", day_cost="-350", days_available="7.25"),
    )
    assert errors(response) == [
        "Enter the practitioner's name",
        "Enter a day cost of £0 or more",
        "Enter days available in half days, like 7.5",
    ]
    response = client.post(
        reverse("offers:manage_practitioner_create"),
        practitioner_form(provider, day_cost="a lot", days_available="7.3"),
    )
    assert errors(response) == [
        "Enter a day cost in pounds, like 1050 or 1050.00",
        "Enter days available in half days, like 7.5",
    ]
    assert Practitioner.objects.count() == 0


# Offers


def test_the_coordinator_adds_an_offer_with_prices_by_category(client):
    provider = make.provider("lle", "LLE and SLE network")
    response = client.post(
        reverse("offers:manage_offer_create"),
        offer_form(provider, phases=["primary", "secondary"], la__all="600"),
    )
    assert response.status_code == 302
    offer = Offer.objects.get(code="lle-support")
    assert (offer.name, offer.strand, offer.unit, offer.capacity, offer.vat_rate) == (
        "Extra LLE support",
        "additional",
        "day",
        42,
        None,
    )
    assert offer.phases == ["primary", "secondary"]
    assert offer_prices(offer) == {
        "member": {"": Decimal("525.00"), "secondary": Decimal("1050.00")},
        "non_member": {"": Decimal("650.50")},
        "la": {"": Decimal("600.00")},
        "unit_cost": {"": Decimal("500.00")},
    }


def test_changing_an_offer_replaces_its_prices(client):
    offer = make.offer(member={"": "100", "special": "80"}, non_member={"": "150"})
    form = client.get(reverse("offers:manage_offer_edit", args=[offer.code])).context["form"]
    assert form["member__special"].value() == Decimal("80.00")

    data = offer_form(
        offer.provider,
        code=offer.code,
        name="Peer review",
        strand="additional",
        unit="review",
        member__all="120",
        member__secondary=None,
        non_member__all="",
        unit_cost__all=None,
        capacity="",
    )
    response = client.post(reverse("offers:manage_offer_edit", args=[offer.code]), data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.capacity is None
    assert offer_prices(offer) == {
        "member": {"": Decimal("120.00")},
        "non_member": {},
        "la": {},
        "unit_cost": {},
    }
    assert offer.history.count() == 2


def test_negative_prices_are_refused_and_nothing_changes(client):
    offer = make.offer(member={"": "100"})
    data = offer_form(
        offer.provider,
        code=offer.code,
        member__all="-1",
        member__special="-0.01",
        non_member__all="12.345",
        unit_cost__all="ten",
    )
    response = client.post(reverse("offers:manage_offer_edit", args=[offer.code]), data)
    assert errors(response) == [
        "Enter a member price of £0 or more",
        "Enter a member price of £0 or more",
        "Enter a non-member price in whole pence, like 1050.50",
        "Enter a unit cost to the partnership in pounds, like 1050 or 1050.00",
    ]
    offer.refresh_from_db()
    assert offer.name == "Peer review"
    assert list(OfferPrice.objects.values_list("kind", "category", "amount")) == [
        ("member", "", Decimal("100.00"))
    ]


def test_the_coordinator_sets_and_clears_a_cancellation_rule(client):
    provider = make.provider()
    response = client.post(
        reverse("offers:manage_offer_create"),
        offer_form(provider, free_until_days="14", charge_percent="50"),
    )
    assert response.status_code == 302
    offer = Offer.objects.get(code="lle-support")
    policy = OfferCancellationPolicy.objects.get(offer=offer)
    assert (policy.free_until_days, policy.charge_percent) == (14, Decimal("50.00"))

    url = reverse("offers:manage_offer_edit", args=[offer.code])
    form = client.get(url).context["form"]
    assert (form["free_until_days"].value(), form["charge_percent"].value()) == (
        14,
        Decimal("50.00"),
    )

    response = client.post(url, offer_form(provider, free_until_days="", charge_percent=""))
    assert response.status_code == 302
    assert not OfferCancellationPolicy.objects.filter(offer=offer).exists()


def test_a_cancellation_rule_needs_both_the_days_and_the_charge(client):
    provider = make.provider()
    response = client.post(
        reverse("offers:manage_offer_create"), offer_form(provider, free_until_days="14")
    )
    assert errors(response) == ["Enter the charge after that, as a percentage"]
    response = client.post(
        reverse("offers:manage_offer_create"),
        offer_form(provider, free_until_days="soon", charge_percent="150"),
    )
    assert errors(response) == [
        "Enter the days as a whole number, like 14",
        "Enter a charge between 0% and 100%",
    ]
    assert Offer.objects.count() == 0


def test_offer_codes_are_unique_and_may_not_take_a_pages_address(client):
    make.offer("peer-review", member={"": "1"})
    provider = make.provider()
    response = client.post(
        reverse("offers:manage_offer_create"), offer_form(provider, code="Peer-Review")
    )
    assert errors(response) == ["There is already an offer with the code Peer-Review"]
    response = client.post(
        reverse("offers:manage_offer_create"), offer_form(provider, code="manage")
    )
    assert errors(response) == ["The code manage is the address of another page: choose another"]
    assert Offer.objects.count() == 1


def test_required_offer_fields_are_named(client):
    response = client.post(
        reverse("offers:manage_offer_create"),
        {
            "code": "",
            "name": "",
            "strand": "",
            "unit": "",
            "provider": "",
            "capacity": "lots",
            "vat_rate": "150",
        },
    )
    assert errors(response) == [
        "Enter a code",
        "Enter the offer's name",
        "Select core or additional offer",
        "Select the provider",
        "Select the unit it is sold in",
        "Enter the capacity as a whole number, like 42",
        "Enter a VAT rate between 0 and 100",
    ]
    assert Offer.objects.count() == 0


def test_the_offer_list_shows_every_price(client):
    make.hillingdon_catalogue()
    response = client.get(reverse("offers:manage_offers"), {"_export": "csv"})
    lines = response.content.decode().strip().splitlines()
    assert lines[0] == (
        "Code,Offer,Strand,Provider,Unit,Member prices,Non-member prices,Unit costs,Capacity,"
        "In catalogue"
    )
    assert lines[2] == (
        "peer-review,Peer review,Additional offer,HASH / Primary Forum,review,"
        "Primary 1000.00; Secondary 1600.00,Primary 1200.00; Secondary 1900.00,"
        "All schools 0.00,42,Yes"
    )


# Tiers


def tier_form(rows, **fields):
    data = {
        "code": "standard",
        "name": "Standard membership",
        "description": "",
        "order": "2",
        "active": "on",
    }
    data.update(fields)
    data.update(
        {
            "inclusions-TOTAL_FORMS": str(len(rows)),
            "inclusions-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
            "inclusions-MIN_NUM_FORMS": "0",
            "inclusions-MAX_NUM_FORMS": "1000",
        }
    )
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"inclusions-{index}-{key}"] = value
    return data


def test_the_coordinator_adds_a_tier_with_included_units(client):
    catalogue = make.hillingdon_catalogue()
    response = client.post(
        reverse("offers:manage_tier_create"),
        tier_form(
            [
                {"offer": catalogue["review"].pk, "units": "1"},
                {"offer": catalogue["visit"].pk, "units": "2.5"},
                {"offer": "", "units": ""},
            ]
        ),
    )
    assert response.status_code == 302
    tier = Tier.objects.get(code="standard")
    assert (tier.name, tier.order, tier.active) == ("Standard membership", 2, True)
    assert sorted(tier.inclusions.values_list("offer__code", "units")) == [
        ("health-check", Decimal("2.5")),
        ("peer-review", Decimal("1.0")),
    ]


def test_the_coordinator_changes_and_removes_included_units(client):
    catalogue = make.hillingdon_catalogue()
    tier = make.tier(includes=[(catalogue["review"], "1"), (catalogue["visit"], "2")])
    review, visit = (tier.inclusions.get(offer=catalogue[k]) for k in ("review", "visit"))
    response = client.post(
        reverse("offers:manage_tier_edit", args=["standard"]),
        tier_form(
            [
                {"id": review.pk, "tier": tier.pk, "offer": catalogue["review"].pk, "units": "3"},
                {
                    "id": visit.pk,
                    "tier": tier.pk,
                    "offer": catalogue["visit"].pk,
                    "units": "2",
                    "DELETE": "on",
                },
            ],
            name="Standard",
        ),
    )
    assert response.status_code == 302
    assert list(tier.inclusions.values_list("offer__code", "units")) == [
        ("peer-review", Decimal("3.0"))
    ]
    tier.refresh_from_db()
    assert tier.name == "Standard"


def test_tier_validation_covers_the_tier_and_its_rows_and_saves_nothing(client):
    catalogue = make.hillingdon_catalogue()
    make.tier("gold", "Gold")
    response = client.post(
        reverse("offers:manage_tier_create"),
        tier_form(
            [
                {"offer": catalogue["review"].pk, "units": "1"},
                {"offer": catalogue["review"].pk, "units": "2"},
                {"offer": catalogue["visit"].pk, "units": "-1"},
                {"offer": "", "units": "4"},
            ],
            code="gold",
            order="first",
        ),
    )
    assert errors(response) == [
        "There is already a tier with the code gold",
        "Enter the position as a whole number, like 1",
        "Peer review is listed twice: give its units once",
        "Enter units included of 0.5 or more",
        "Select an offer",
    ]
    assert Tier.objects.count() == 1
    assert TierInclusion.objects.count() == 0


def test_the_tier_list_says_what_each_tier_includes(client):
    catalogue = make.hillingdon_catalogue()
    make.tier(includes=[(catalogue["review"], "1.5"), (catalogue["visit"], "2")])
    response = client.get(reverse("offers:manage_tiers"), {"_export": "csv"})
    assert response.content.decode().strip().splitlines()[1] == (
        "1,standard,Standard membership,2 × Adviser health check visit; 1.5 × Peer review,Yes"
    )


# Lists


@pytest.mark.parametrize(
    "url_name, grow",
    [
        (
            "offers:manage_offers",
            lambda n, c: make.offer(
                f"o{n}", name=f"O{n}", by=c["la"], member={"": "1", "primary": "2"}
            ),
        ),
        ("offers:manage_providers", lambda n, c: make.provider(f"p{n}", f"P{n}")),
        ("offers:manage_practitioners", lambda n, c: make.practitioner(f"Pr{n}", by=c["la"])),
        (
            "offers:manage_tiers",
            lambda n, c: make.tier(f"t{n}", f"T{n}", includes=[(c["review"], "1")]),
        ),
    ],
)
def test_manage_lists_take_the_same_number_of_queries_however_long(
    client, url_name, grow, django_assert_max_num_queries
):
    catalogue = make.hillingdon_catalogue()
    grow(0, catalogue)
    client.get(reverse(url_name))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(url_name))
    for n in range(1, 25):
        grow(n, catalogue)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name))
    assert len(response.context["table"].rows) >= 25


def test_manage_lists_filter(client):
    catalogue = make.hillingdon_catalogue()
    make.practitioner("Ann SLE", by=catalogue["hash"])
    make.practitioner("Lee LLE", by=catalogue["la"], designation="LLE")
    response = client.get(reverse("offers:manage_practitioners"), {"designation": "LLE"})
    assert [p.name for p in response.context["table"].data] == ["Lee LLE"]
    response = client.get(reverse("offers:manage_offers"), {"q": "review"})
    assert [o.code for o in response.context["table"].data] == ["peer-review"]
    response = client.get(reverse("offers:manage_providers"), {"q": "hash"})
    assert [p.code for p in response.context["table"].data] == ["hash"]


def test_the_coordinator_names_the_school_that_releases_a_practitioner(client, school_b):
    practitioner = make.practitioner()
    response = client.post(
        reverse("offers:manage_practitioner_edit", args=[practitioner.pk]),
        practitioner_form(practitioner.provider, home_school=school_b.pk),
    )
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.home_school == school_b
    # Blank: employed by the partnership or the LA, costed at their own day cost.
    client.post(
        reverse("offers:manage_practitioner_edit", args=[practitioner.pk]),
        practitioner_form(practitioner.provider, home_school=""),
    )
    practitioner.refresh_from_db()
    assert practitioner.home_school is None
