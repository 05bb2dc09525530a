from django.db import models


class Role(models.TextChoices):
    """What a person does in the partnership; decides their dashboard and what they may see."""

    HEADTEACHER = "headteacher", "Headteacher or school business manager"
    COORDINATOR = "coordinator", "Partnership coordinator"
    FINANCE = "finance", "LA finance officer"
    BOARD = "board", "Board member"
    PRACTITIONER = "practitioner", "Practitioner (LLE, SLE, adviser)"
