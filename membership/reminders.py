"""Reminders membership sends (partnership/reminders.py).

The buy-back reminders are sent by services.send_buy_back_reminders, once per renewal and
day (RenewalReminder), to the school's contacts who have not turned this kind off; they are
named here so people can turn them off with the others.
"""

from partnership.reminders import ReminderKind
from partnership.roles import Role

RENEWAL_WINDOW = ReminderKind(
    kind="renewal_window",
    label="Before the buy-back window closes, if your school has not answered its renewal",
    roles=(Role.HEADTEACHER,),
)
KINDS = (RENEWAL_WINDOW,)


def due(today):
    return ()
