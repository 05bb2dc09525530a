"""The audit trail page: who changed what, and when, across the partnership's records."""

from django.shortcuts import render
from django_tables2 import RequestConfig

from partnership.exports import SafeTableExport as TableExport
from partnership.permissions import role_required
from partnership.roles import Role

from .filters import AuditFilter
from .tables import AuditTable


@role_required(Role.FINANCE)
def audit_trail(request):
    changes = AuditFilter(request.GET)
    table = AuditTable(changes.qs)
    export = request.GET.get("_export")
    exporting = TableExport.is_valid_format(export)
    RequestConfig(request, paginate=False if exporting else {"per_page": 50}).configure(table)
    if exporting:
        return TableExport(export, table).response(f"audit-trail.{export}")
    return render(
        request,
        "finance/audit.html",
        {"filter": changes, "table": table, "export_formats": ["csv"]},
    )
