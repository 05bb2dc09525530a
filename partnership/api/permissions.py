from rest_framework.permissions import BasePermission

from partnership.permissions import check_role


class RoleAllowed(BasePermission):
    """The view's `allowed_roles`, as every page declares them (partnership.permissions)."""

    message = "Your role may not read this."

    def has_permission(self, request, view):
        return check_role(request.user, view.allowed_roles)
