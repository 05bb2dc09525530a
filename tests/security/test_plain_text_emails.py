"""Plain-text emails say what was typed: no HTML escaping (O'Brien, not O&#x27;Brien)
(issue 13, finding 11)."""

from pathlib import Path

import pytest
from django.core import mail
from django.template.base import VariableNode
from django.template.defaulttags import AutoEscapeControlNode
from django.template.loader import get_template

from partnership.roles import Role
from tests.factories import UserFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TEXT_TEMPLATES = sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.txt"))


def escaped_variables(nodelist, escaping=True):
    """The {{ variables }} in these nodes that Django would HTML-escape."""
    for node in nodelist:
        if isinstance(node, AutoEscapeControlNode):
            yield from escaped_variables(node.nodelist, node.setting)
            continue
        if isinstance(node, VariableNode) and escaping:
            yield node.filter_expression.token
        for name in node.child_nodelists:
            yield from escaped_variables(getattr(node, name, None) or [], escaping)


def test_there_are_text_templates_to_check():
    assert "emails/invitation.txt" in TEXT_TEMPLATES
    assert len(TEXT_TEMPLATES) >= 8


@pytest.mark.parametrize("name", TEXT_TEMPLATES)
def test_no_text_template_escapes_what_it_prints(name):
    template = get_template(name).template
    assert list(escaped_variables(template.nodelist)) == []


@pytest.mark.django_db
def test_an_invitation_names_people_as_typed(client_for, django_capture_on_commit_callbacks):
    coordinator = UserFactory(role=Role.COORDINATOR, first_name="Seán", last_name="O'Brien")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            "/people/invite/",
            {
                "first_name": "D'Arcy",
                "last_name": "Smith & Co",
                "email": "darcy@partnership.example",
                "role": Role.BOARD,
            },
        )
    assert response.status_code == 302

    (message,) = mail.outbox
    assert "Hello D'Arcy," in message.body
    assert "O'Brien has invited you" in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body
