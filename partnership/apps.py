from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Partnership"

    def ready(self):
        # history records why changes without a person were made; second_factor counts an
        # authenticator app set up as this session's second factor.
        from . import history, second_factor  # noqa: F401

        _inspect_table_render_methods_once()


def _inspect_table_render_methods_once():
    """django-tables2 inspects a column's render method for every cell it renders (about
    a sixth of a 50-row list's time). A function's parameters never change, so each one
    is inspected once."""
    from django_tables2 import utils

    inspect = utils.signature
    if getattr(inspect, "once", False):
        return
    known = {}

    def signature(fn):
        function = getattr(fn, "__func__", fn)
        key = (function, function is not fn)  # a bound method's parameters omit self
        try:
            return known[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable callable: inspect it every time
            return inspect(fn)
        if len(known) > 2048:  # functions made per request must not pile up
            known.clear()
        known[key] = inspect(fn)
        return known[key]

    signature.once = True
    utils.signature = signature
