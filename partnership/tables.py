import django_tables2 as tables

from .models import User


class PeopleTable(tables.Table):
    name = tables.Column(accessor="get_full_name", order_by=("last_name", "first_name"))
    email = tables.Column()
    role = tables.Column()
    job_title = tables.Column()
    last_login = tables.DateTimeColumn(format="j M Y H:i")

    class Meta:
        model = User
        fields = ("name", "email", "role", "job_title", "last_login")
