"""Who may see what: one place for the role checks every view uses.

A view names the roles that may use it. Anonymous people are sent to sign in; a
signed-in person without the role gets 403. School users are additionally scoped to
their own schools by `schools.permissions` (object-level checks live with the owner).
"""

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import Role

STAFF_ROLES = (Role.COORDINATOR, Role.FINANCE)


def check_role(user, roles) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


FINANCE_INVITE_REFUSED = "Only a finance officer or a superuser may invite a finance officer"
OTHER_ROLES_REFUSED_TO_FINANCE = (
    "A finance officer invites only finance officers: ask a coordinator to invite anyone else"
)


def may_invite_finance_officers(user) -> bool:
    """A finance account reaches the ledger, payments and every school's invoices: only a
    finance officer or a superuser hands one out, never the programme's coordinator."""
    return bool(user and (user.role == Role.FINANCE or user.is_superuser))


def roles_they_may_invite(user) -> list[str]:
    """The roles this person may give someone they invite from the People pages. School
    users are invited from their school's page; a finance officer invites finance officers
    only; everyone else's role is the coordinators' to give."""
    if user.role == Role.FINANCE and not user.is_superuser:
        return [Role.FINANCE]
    return [
        role
        for role in Role
        if role != Role.HEADTEACHER and (role != Role.FINANCE or may_invite_finance_officers(user))
    ]


def role_required(*roles, superusers=False):
    """Decorator for function views: only these roles may use the view (and, with
    `superusers=True`, a superuser whatever their role)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            superuser = superusers and request.user.is_active and request.user.is_superuser
            if not (superuser or check_role(request.user, roles)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = tuple(roles)
        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """For class-based views: set `allowed_roles`."""

    allowed_roles: tuple = ()
    # A superuser may use the view whatever their role.
    allow_superusers: bool = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        superuser = self.allow_superusers and request.user.is_active and request.user.is_superuser
        if not (superuser or check_role(request.user, self.allowed_roles)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
