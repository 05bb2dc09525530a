"""Pages for waiting lists: the coordinator's lists (offer a place out of turn, add places),
the school's answer to a place offered (accept or decline), and the link in the offer's
email. Each page first passes on any place whose hold has run out (the beat task does the
same every few minutes), so nobody is shown a hold that has already ended."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from partnership.calendars import AcademicYear
from partnership.permissions import role_required
from partnership.roles import Role

from . import rules_waiting, services_bookings
from . import selectors_waiting as selectors
from . import services_waiting as services
from .models import Booking, CourseSession, Offer
from .views_bookings import _booking_or_403, _bookings_crumbs

HEAD = Role.HEADTEACHER
COORDINATOR = Role.COORDINATOR


class AddPlacesForm(forms.Form):
    places = forms.IntegerField(
        label="Places to add",
        min_value=1,
        max_value=500,
        error_messages={
            "required": "Enter a number of places to add",
            "invalid": "Enter the number of places as a whole number, like 2",
            "min_value": "Add 1 place or more",
            "max_value": "Add 500 places or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )


class OutOfTurnForm(forms.Form):
    reason = forms.CharField(
        label="Why is this school offered a place before those ahead of it?",
        help_text="For example, a school causing concern that needs the training this term. "
        "The reason is kept on the waiting list's history.",
        max_length=300,
        error_messages={"required": services.REASON_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _year(request):
    year = request.GET.get("year") or services_bookings.current_academic_year()
    try:
        return str(AcademicYear.parse(year))
    except ValueError:
        return services_bookings.current_academic_year()


def _lists_crumbs(*more):
    return _bookings_crumbs(("Waiting lists", reverse("offers:waiting_lists")), *more)


def _list_url(offer, academic_year, session):
    if session is not None:
        return reverse("offers:waiting_list_session", args=[session.pk])
    return reverse("offers:waiting_list_offer", args=[offer.pk]) + f"?year={academic_year}"


def list_url_for(booking) -> str:
    return _list_url(booking.offer, booking.academic_year, booking.session)


@role_required(COORDINATOR)
def waiting_lists(request):
    """Every offer and CPD session of the year with schools waiting or a place on hold."""
    year = _year(request)
    services.expire_lapsed_offers()
    return render(
        request,
        "offers/waiting/lists.html",
        {
            "lists": selectors.waiting_lists(year),
            "year": year,
            "breadcrumbs": _lists_crumbs(),
        },
    )


def _list_page(request, *, offer, academic_year, session):
    services.expire_lapsed_offers(offer=offer, academic_year=academic_year, session=session)
    form = AddPlacesForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                offered = services.add_places(
                    offer=offer,
                    academic_year=academic_year,
                    session=session,
                    places=form.cleaned_data["places"],
                    by=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("places", message)
            else:
                added = form.cleaned_data["places"]
                text = f"{added} place{'s' if added != 1 else ''} added"
                if offered:
                    text += ": offered to " + ", ".join(b.school.name for b in offered)
                messages.success(request, text)
                return redirect(_list_url(offer, academic_year, session))
    found = selectors.waiting_list(offer=offer, academic_year=academic_year, session=session)
    return render(
        request,
        "offers/waiting/list.html",
        {
            "list": found,
            "form": form,
            "can_add": session is not None or offer.capacity is not None,
            "hold_hours": services.hold_hours(),
            "breadcrumbs": _lists_crumbs((found.name, "")),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(COORDINATOR)
def waiting_list_offer(request, pk):
    offer = get_object_or_404(Offer, pk=pk)
    return _list_page(request, offer=offer, academic_year=_year(request), session=None)


@role_required(COORDINATOR)
def waiting_list_session(request, pk):
    session = get_object_or_404(CourseSession.objects.select_related("offer"), pk=pk)
    return _list_page(
        request,
        offer=session.offer,
        academic_year=services_bookings.current_academic_year(session.date),
        session=session,
    )


@role_required(COORDINATOR)
def booking_offer_place(request, pk):
    """The coordinator offers a free place to this school ahead of those before it."""
    booking = _booking_or_403(request.user, pk)
    back = list_url_for(booking)
    if booking.status != Booking.Status.WAITING:
        messages.error(
            request,
            f"{booking.school.name} is not waiting: booking {booking.reference} is "
            f"{booking.get_status_display().lower()}",
        )
        return redirect(back)
    form = OutOfTurnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_place_out_of_turn(
                booking=booking, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"A place is offered to {booking.school.name}")
            return redirect(back)
    return render(
        request,
        "offers/waiting/offer_place.html",
        {
            "booking": booking,
            "form": form,
            "back": back,
            "hold_hours": services.hold_hours(),
            "breadcrumbs": _lists_crumbs(
                (booking.session.name if booking.session else booking.offer.name, back),
                ("Offer a place", ""),
            ),
        },
    )


@never_cache
@role_required(HEAD)
def booking_place(request, pk):
    """The school's answer to a place offered from the waiting list: accept or decline."""
    booking = _booking_or_403(request.user, pk)
    services.expire_lapsed_offers(offer=booking.offer, session=booking.session)
    booking = _booking_or_403(request.user, pk)
    errors = []
    confirm_decline = request.GET.get("decline") == "1"
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                services.accept_place(booking=booking, by=request.user)
                messages.success(
                    request, f"You accepted the place: booking {booking.reference} is confirmed"
                )
            elif answer == "decline":
                services.decline_place(booking=booking, by=request.user)
                messages.success(
                    request,
                    f"You declined the place: booking {booking.reference} is cancelled free of "
                    "charge",
                )
            else:
                raise ValidationError("Choose to accept or decline the place")
        except ValidationError as error:
            errors = error.messages
            booking = _booking_or_403(request.user, pk)
        else:
            return redirect("offers:booking_detail", booking.pk)
    return render(
        request,
        "offers/waiting/answer.html",
        {
            "booking": booking,
            "offered": booking.status == Booking.Status.OFFERED,
            "held_until": services.when(booking.offer_expires_at)
            if booking.offer_expires_at
            else "",
            "charge": services_bookings.rules.booking_charge(
                units=booking.units,
                included_units=booking.included_units,
                unit_price=booking.unit_price,
            ),
            "confirm_decline": confirm_decline,
            "errors": errors,
            "breadcrumbs": _bookings_crumbs(
                (booking.reference, reverse("offers:booking_detail", args=[booking.pk])),
                ("Place offered", ""),
            ),
        },
        status=400 if errors else 200,
    )


@never_cache
def place_offer_link(request, token):
    """The link in the offer's email: shows what is offered to anyone holding the link; only
    someone signed in who acts for the school may then accept or decline it."""
    booking = services.booking_for_token(token)
    if booking is None:
        raise Http404("This link is not valid")
    services.expire_lapsed_offers(offer=booking.offer, session=booking.session)
    booking.refresh_from_db()
    answer_url = reverse("offers:booking_place", args=[booking.pk])
    offered = booking.status == Booking.Status.OFFERED and not rules_waiting.lapsed(
        expires_at=booking.offer_expires_at, now=timezone.now()
    )
    if offered and services.may_answer(request.user, booking):
        return redirect(answer_url)
    if request.user.is_authenticated and request.user.role == HEAD and offered:
        # Signed in, but for another school: the link is not theirs to answer.
        raise PermissionDenied
    return render(
        request,
        "offers/waiting/link.html",
        {
            "booking": booking,
            "offered": offered,
            "held_until": services.when(booking.offer_expires_at)
            if booking.offer_expires_at
            else "",
            "sign_in_url": reverse("account_login") + f"?next={answer_url}",
        },
    )
