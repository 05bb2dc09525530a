"""Evaluations of CPD sessions: ratings on the partnership's questions, and comments.

The question is kept with each rating as it was asked, so a later change of questions
never changes what a delegate answered.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .bookings import DelegatePlace


class EvaluationQuestion(models.Model):
    """A question every evaluation asks, rated 1 to 5 (from the partnership file)."""

    position = models.PositiveSmallIntegerField(unique=True)
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.text


class Evaluation(models.Model):
    """A delegate's evaluation of a session, returned by them or by their school for them."""

    place = models.OneToOneField(DelegatePlace, on_delete=models.CASCADE, related_name="evaluation")
    comments = models.TextField(blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-returned_at", "-pk"]

    def __str__(self):
        return f"Evaluation of {self.place}"


class EvaluationRating(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings")
    position = models.PositiveSmallIntegerField()
    question = models.CharField(max_length=300)
    rating = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["evaluation", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="evaluation_rating_1_to_5"
            ),
            models.UniqueConstraint(
                fields=["evaluation", "position"], name="one_rating_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.rating}"
