"""The partnership file's `evaluation.questions` and `cancellation.no_show_charge` keys."""

from decimal import Decimal

import pytest

from offers.models import EvaluationQuestion, OfferCancellationPolicy
from offers.services_attendance import DEFAULT_QUESTIONS, evaluation_questions
from partnership.partnership_file import PartnershipFileError, load_text

pytestmark = pytest.mark.django_db

HEAD = """
format: 1
partnership:
  name: Test partnership
  local_authority: {code: 312, name: Hillingdon}
"""

BRIEFING = """
providers:
  - {code: la, name: Local Authority School Improvement Team}
offers:
  - code: safeguarding-briefing
    name: Safeguarding briefing
    strand: additional
    provider: la
    unit: place
    price: {member: "0"}
    cancellation: {free_until_days_before: 7, charge_percent: 100, no_show_charge: "50"}
"""


def test_the_default_questions_until_the_file_sets_them():
    assert evaluation_questions() == list(DEFAULT_QUESTIONS)


def test_the_file_sets_the_questions_in_order_and_loading_twice_changes_nothing():
    text = (
        HEAD + "evaluation:\n  questions:\n    - Was it worth the time?\n    - Will you use it?\n"
    )
    load_text(text)
    first = list(EvaluationQuestion.objects.values_list("pk", flat=True))
    load_text(text)
    assert evaluation_questions() == ["Was it worth the time?", "Will you use it?"]
    assert list(EvaluationQuestion.objects.values_list("pk", flat=True)) == first


@pytest.mark.parametrize(
    "questions, problem",
    [
        ('["Good?", "good?"]', "evaluation.questions[1]: asked twice"),
        ("[]", "evaluation.questions: give at least one question"),
        (
            str([f"Q{n}?" for n in range(9)]),
            "evaluation.questions: at most 8 questions: keep it short",
        ),
    ],
)
def test_bad_questions_are_named_and_nothing_is_loaded(questions, problem):
    with pytest.raises(PartnershipFileError) as refused:
        load_text(HEAD + f"evaluation:\n  questions: {questions}\n")
    assert problem in refused.value.problems
    assert not EvaluationQuestion.objects.exists()


def test_a_no_show_charge_is_set_from_the_file():
    load_text(HEAD + BRIEFING)
    policy = OfferCancellationPolicy.objects.get()
    assert policy.no_show_charge == Decimal("50.00")
    assert "is charged £50.00" in policy.summary
