"""A national-scale data set for the benchmarks, written in bulk.

22,000 schools (through the real GIAS import), the Hillingdon partnership file, five
years of memberships, 100,000 bookings and 50,000 invoices with their lines and ledger
entries. Run inside a Django process whose DATABASE_URL names the benchmark database.
"""

import datetime
import os
import random
import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from benchmarks.gias_file import write as write_gias
from finance.models import Invoice, InvoiceLine, LedgerEntry
from membership.models import Membership, MembershipYear
from offers.models import Offer
from offers.models.bookings import Booking
from partnership.calendars import AcademicYear, FinancialYear
from partnership.demo import build_people
from partnership.money import money
from partnership.partnership_file import load_text
from partnership.roles import Role
from schools.models import School, SchoolContact
from schools.services import import_gias

# BENCH_SCALE=0.05 builds a twentieth of the national data set: for developing and checking
# the benchmark on a busy machine. Figures from it are small-scale, never the national ones.
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
YEARS = ["2022/23", "2023/24", "2024/25", "2025/26", "2026/27"]
BATCH = 5000


def national_sizes(scale=1.0):
    """How many schools, bookings and invoices the data set has at this scale."""
    return {
        "schools": max(200, round(22_000 * scale)),
        "bookings": max(500, round(100_000 * scale)),
        "invoices": max(500, round(50_000 * scale)),
    }


def generate(*, schools=22_000, bookings=100_000, invoices=50_000, seed=11, say=print):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        path = write_gias(Path(folder) / "register.csv", rows=schools, seed=seed)
        report = import_gias(path, census_date=datetime.date(2026, 1, 15))
    say(f"schools: {report.summary()}")
    load_text((Path(settings.BASE_DIR) / "examples" / "hillingdon-option2.yaml").read_text())
    people = build_people()
    open_schools = list(School.objects.open().order_by("pk"))
    SchoolContact.objects.get_or_create(
        school=open_schools[0],
        user=people[Role.HEADTEACHER],
        defaults={"role": SchoolContact.Role.HEADTEACHER},
    )

    with transaction.atomic():
        _memberships(rng, open_schools, say)
        _bookings(rng, open_schools, bookings, people[Role.HEADTEACHER], say)
        _invoices(rng, open_schools, invoices, say)
    return people


def _memberships(rng, schools, say):
    tier_ids = list(
        Membership._meta.get_field("tier").related_model.objects.values_list("pk", flat=True)
    )
    created = 0
    for text in YEARS:
        year = AcademicYear.parse(text)
        membership_year, _ = MembershipYear.objects.get_or_create(
            academic_year=text,
            defaults={
                "census_date": datetime.date(year.start_year, 1, 15),
                "is_current": text == YEARS[-1],
            },
        )
        rows = []
        for school in schools:
            if rng.random() < 0.6:
                pupils = rng.randint(50, 1500)
                fee = money(pupils * Decimal("19"))
                rows.append(
                    Membership(
                        school=school,
                        year=membership_year,
                        tier_id=rng.choice(tier_ids),
                        status=Membership.Status.ACTIVE
                        if text == YEARS[-1]
                        else Membership.Status.LAPSED,
                        joined_on=year.starts_on,
                        fee_amount=fee,
                        fee_pupils=pupils,
                        fee_basis=f"{pupils} pupils × £19.00 = £{fee:,.2f}",
                        fee_census_date=membership_year.census_date,
                        signed_at=datetime.datetime(year.start_year, 7, 1, tzinfo=datetime.UTC),
                    )
                )
        Membership.objects.bulk_create(rows, batch_size=BATCH)
        created += len(rows)
    say(f"memberships: {created} over {len(YEARS)} years")


def _bookings(rng, schools, count, booked_by, say):
    offers = list(Offer.objects.filter(strand=Offer.Strand.ADDITIONAL))
    statuses = (
        [Booking.Status.DELIVERED] * 5
        + [Booking.Status.CONFIRMED] * 3
        + [
            Booking.Status.REQUESTED,
            Booking.Status.CANCELLED,
        ]
    )
    rows = []
    for n in range(count):
        text = YEARS[n % len(YEARS)]
        year = AcademicYear.parse(text)
        status = rng.choice(statuses)
        delivered = year.starts_on + datetime.timedelta(days=rng.randint(10, 300))
        rows.append(
            Booking(
                school=rng.choice(schools),
                offer=rng.choice(offers),
                academic_year=text,
                units=Decimal(rng.randint(1, 3)),
                unit_price=Decimal(rng.choice([350, 500, 1000, 1600])),
                is_member=rng.random() < 0.7,
                status=status,
                booked_by=booked_by,
                delivered_on=delivered if status == Booking.Status.DELIVERED else None,
            )
        )
        if len(rows) == BATCH:
            Booking.objects.bulk_create(rows)
            rows = []
    Booking.objects.bulk_create(rows)
    say(f"bookings: {count}")


def _invoices(rng, schools, count, say):
    sequences = {}
    for start in range(0, count, BATCH):
        invoices, lines, entries = [], [], []
        for _ in range(start, min(count, start + BATCH)):
            school = rng.choice(schools)
            issue = datetime.date(2022, 9, 1) + datetime.timedelta(days=rng.randint(0, 1500))
            fy = str(FinancialYear.containing(issue))
            sequences[fy] = sequences.get(fy, 0) + 1
            amount = money(Decimal(rng.randint(250, 20000)))
            invoices.append(
                Invoice(
                    number=f"INV-{fy}-{sequences[fy]:05d}",
                    financial_year=fy,
                    sequence=sequences[fy],
                    school=school,
                    bill_to=school.name,
                    billing=Invoice.Billing.EXTERNAL_INVOICE
                    if school.governance == "academy"
                    else Invoice.Billing.INTERNAL_RECHARGE,
                    issue_date=issue,
                    due_date=issue + datetime.timedelta(days=30),
                    net_total=amount,
                    vat_total=Decimal("0.00"),
                    gross_total=amount,
                )
            )
        Invoice.objects.bulk_create(invoices)
        for invoice in invoices:
            lines.append(
                InvoiceLine(
                    invoice=invoice,
                    position=1,
                    description="Membership",
                    quantity=Decimal("1"),
                    unit_price=invoice.net_total,
                    vat_rate=Decimal("0"),
                    net=invoice.net_total,
                    vat=Decimal("0.00"),
                    gross=invoice.net_total,
                    source=f"bench:{invoice.number}",
                    income_account=InvoiceLine.IncomeAccount.MEMBERSHIP,
                    recognise_from=invoice.issue_date,
                    recognise_to=invoice.issue_date,
                )
            )
        InvoiceLine.objects.bulk_create(lines)
        for line in lines:
            entries.append(
                LedgerEntry(
                    side=LedgerEntry.Side.INCOME,
                    entry_type=LedgerEntry.EntryType.INVOICE_LINE,
                    entry_date=line.invoice.issue_date,
                    financial_year=line.invoice.financial_year,
                    amount=line.net,
                    description=line.description,
                    reference=line.invoice.number,
                    income_account=line.income_account,
                    school=line.invoice.school,
                    invoice_line=line,
                )
            )
        LedgerEntry.objects.bulk_create(entries)
    say(f"invoices: {count} with lines and ledger entries")
