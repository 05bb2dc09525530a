"""The demo partnership: one person per role, signed in with these passwords.

Each app may add demo records of its own with a `demo.py` holding `build(context)`;
they run after the partnership file, the GIAS sample and the people are loaded.
"""

from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from .models import User
from .roles import Role
from .second_factor import has_authenticator, needs_second_factor

DEMO_PASSWORD = "partnership-demo-2026"
# A fixed key so the demo finance officer and coordinator can add it to any authenticator app.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_PEOPLE = [
    ("head@demo.school", "Helen", "Head", Role.HEADTEACHER, "Headteacher"),
    (
        "coordinator@demo.partnership",
        "Chris",
        "Coordinator",
        Role.COORDINATOR,
        "Partnership coordinator",
    ),
    ("finance@demo.council", "Farah", "Finance", Role.FINANCE, "Finance officer"),
    ("board@demo.partnership", "Ben", "Board", Role.BOARD, "Board member"),
    ("practitioner@demo.partnership", "Priya", "Practitioner", Role.PRACTITIONER, "SLE"),
]
APPS_WITH_DEMO = ("schools", "offers", "membership", "finance", "governance")


def ensure_person(email, first_name, last_name, role, job_title, password=DEMO_PASSWORD):
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "role": role,
            "job_title": job_title,
        },
    )
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    if needs_second_factor(user) and not has_authenticator(user):
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def current_totp_code(user):
    """The code an authenticator app would show now (for demos and browser tests)."""
    import time

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def build_people():
    return {
        role: ensure_person(email, first, last, role, title)
        for email, first, last, role, title in DEMO_PEOPLE
    }


def build_app_demos(context):
    for app in APPS_WITH_DEMO:
        name = f"{app}.demo"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.build(context)
