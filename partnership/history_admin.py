"""The admin's history pages: every version can be read, none can be brought back.

simple-history's "revert" saves an old version over the record with no rule asked: it once
cleared a signed membership's frozen fee, tier and signed date while its invoice stood. A
correction goes through the pages and services, which know the rules, and is audited there.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """Use instead of SimpleHistoryAdmin for every model with history (a test checks)."""

    def has_change_history_permission(self, request, obj=None):
        # Read by simple-history to title the page "View", not "Revert", and hide the button.
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Hiding the button is not enough: the page itself saves whatever is posted to it.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
