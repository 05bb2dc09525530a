"""Requests for access: someone from a school asks for an account on the public page; a
coordinator approves (the person is invited as a user of that school) or declines (the
person is told why).

A request never says on screen whether an address already has an account or a request
waiting (that would tell anyone who has an account). The page always says "we have emailed
you"; what to do next goes to the mailbox, which only its owner reads (docs/security.md,
"Requests for access").
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from partnership.models import Partnership, User

from .models import AccessRequest, School, SchoolContact
from .services import invite_school_contact

# ASSUMPTION: a school office behind one address may send a few requests in an hour (a
# head, a business manager, a typo put right); more than this from one address in an hour
# is someone trying addresses or filling mailboxes. Counted in the default cache (the
# database's), so the limit holds with Redis down.
REQUESTS_PER_ADDRESS_PER_HOUR = 10
# At most one "you already have an account / a request" email to an address in this time,
# so the form cannot be used to fill someone's mailbox.
ALREADY_KNOWN_EMAIL_SECONDS = 60 * 60

ACCOUNT = "account"
PENDING = "pending"


class AccessRequestError(Exception):
    """A decision that cannot be made, with the reason in words for the coordinator."""


@dataclass(frozen=True)
class RequestOutcome:
    """What a submitted request led to: a new request, or nothing new because the address
    already has an account (`already == "account"`) or a request waiting ("pending")."""

    access_request: AccessRequest | None
    already: str = ""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def already_known(email: str) -> str:
    """ "account" when the address has an account, "pending" when it has a request waiting,
    else ""."""
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        return ACCOUNT
    if AccessRequest.objects.filter(
        email__iexact=email, status=AccessRequest.Status.PENDING
    ).exists():
        return PENDING
    return ""


def may_request_from(address: str | None) -> bool:
    """Whether this client address may send another request this hour (and count it)."""
    key = f"schools:access-requests:{address or 'unknown'}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        sent = 1
    return sent <= REQUESTS_PER_ADDRESS_PER_HOUR


def request_access(
    *,
    first_name: str,
    last_name: str,
    email: str,
    school: School,
    role_at_school: str,
    other_role: str = "",
    sign_in_url: str = "",
) -> RequestOutcome:
    """Keep a request for access from someone at `school`, and email them that it arrived.

    An address that already has an account, or a request waiting, makes no new request:
    the address is emailed what to do instead (sign in, or wait for the answer). The
    caller shows the same page either way.
    """
    email = normalise_email(email)
    known = already_known(email)
    if not known:
        try:
            with transaction.atomic():
                access_request = AccessRequest.objects.create(
                    first_name=first_name.strip(),
                    last_name=last_name.strip(),
                    email=email,
                    school=school,
                    role_at_school=role_at_school,
                    other_role=other_role.strip()
                    if role_at_school == AccessRequest.RoleAtSchool.OTHER
                    else "",
                )
        except IntegrityError:  # the same address sent twice at once: the first is kept
            known = PENDING
        else:
            _email_after_commit(
                email,
                "We have your request for an account",
                "schools/emails/access_request_received.txt",
                {"access_request": access_request},
            )
            return RequestOutcome(access_request)
    if cache.add(f"schools:access-requests:told:{email}", 1, ALREADY_KNOWN_EMAIL_SECONDS):
        _email_after_commit(
            email,
            "Your request for an account",
            "schools/emails/access_request_already.txt",
            {"already": known, "first_name": first_name.strip(), "sign_in_url": sign_in_url},
        )
    return RequestOutcome(None, known)


def _locked_pending(access_request: AccessRequest) -> AccessRequest:
    locked = (
        AccessRequest.objects.select_for_update().select_related("school").get(pk=access_request.pk)
    )
    if not locked.is_pending:
        raise AccessRequestError(
            f"This request was already {locked.get_status_display().lower()}"
            + (f" by {locked.decided_by}" if locked.decided_by else "")
        )
    return locked


# The role asked for, as the contact's role and duties: finance contact and CPD lead are
# duties a member of staff holds beside their post (docs/decisions.md).
CONTACT_FOR_ROLE = {
    AccessRequest.RoleAtSchool.HEADTEACHER: {"role": SchoolContact.Role.HEADTEACHER},
    AccessRequest.RoleAtSchool.BUSINESS_MANAGER: {"role": SchoolContact.Role.BUSINESS_MANAGER},
    AccessRequest.RoleAtSchool.CHAIR_OF_GOVERNORS: {"role": SchoolContact.Role.CHAIR_OF_GOVERNORS},
    AccessRequest.RoleAtSchool.CPD_LEAD: {"role": SchoolContact.Role.OTHER, "is_cpd_lead": True},
    AccessRequest.RoleAtSchool.FINANCE_CONTACT: {
        "role": SchoolContact.Role.OTHER,
        "is_finance_contact": True,
    },
    AccessRequest.RoleAtSchool.OTHER: {"role": SchoolContact.Role.OTHER},
}


@transaction.atomic
def approve_access_request(access_request: AccessRequest, *, by, request=None) -> AccessRequest:
    """Approve a pending request: the person gets an account as a user of the school
    (a school contact, in the role they gave) and the usual invitation to choose a
    password. Refused when the request was already decided, or when the address has an
    account by now (invited another way): nothing changes."""
    locked = _locked_pending(access_request)
    if User.objects.filter(email__iexact=locked.email).exists():
        raise AccessRequestError(
            f"{locked.email} already has an account: decline this request, saying so"
        )
    contact = invite_school_contact(
        locked.school,
        email=locked.email,
        first_name=locked.first_name,
        last_name=locked.last_name,
        position=locked.role_in_words,
        invited_by=by,
        request=request,
        **CONTACT_FOR_ROLE[locked.role_at_school],
    )
    locked.status = AccessRequest.Status.APPROVED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.user = contact.user
    locked.save()
    return locked


@transaction.atomic
def decline_access_request(
    access_request: AccessRequest, *, by, reason: str, contact_url: str = ""
) -> AccessRequest:
    """Decline a pending request with a reason, which is emailed to the person with a
    polite note of who to contact. No account is made."""
    reason = (reason or "").strip()
    if not reason:
        raise AccessRequestError("Enter the reason for declining")
    locked = _locked_pending(access_request)
    locked.status = AccessRequest.Status.DECLINED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decline_reason = reason
    locked.save()
    _email_after_commit(
        locked.email,
        "Your request for an account",
        "schools/emails/access_request_declined.txt",
        {"access_request": locked, "contact_url": contact_url},
    )
    return locked


def _email_after_commit(to: str, subject: str, template: str, context: dict):
    """Plain-text email, sent once the request (or its decision) is committed."""
    body = render_to_string(template, {"partnership": Partnership.current(), **context})
    transaction.on_commit(
        lambda: send_mail(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [to],
        )
    )


@transaction.atomic
def delete_old_access_requests(*, before) -> int:
    """Delete requests for access decided before this date (or made before it and never
    decided), with their history rows, which copy the person's name and email; returns how
    many requests went. The period is a retention rule (partnership.privacy)."""
    cutoff = before
    old = AccessRequest.objects.filter(
        Q(decided_at__date__lt=cutoff)
        | Q(status=AccessRequest.Status.PENDING, requested_at__date__lt=cutoff)
    )
    ids = list(old.values_list("pk", flat=True))
    AccessRequest.objects.filter(pk__in=ids).delete()
    # After the delete, which itself writes a "deleted" history row.
    AccessRequest.history.filter(id__in=ids).delete()
    return len(ids)
