"""Signals other apps listen to, so membership need not know who cares."""

from django.dispatch import Signal

# Sent inside the approving transaction with `membership` (now active) and `by` (the
# coordinator): finance re-prices what the school booked while it waited, in the same
# transaction, so approval and its credit notes happen together or not at all.
membership_approved = Signal()
