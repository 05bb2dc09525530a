from django.utils.functional import SimpleLazyObject

from .models import Partnership
from .navigation import nav_sections, section_of


def _closest(path, items):
    """The URL of the item with the longest prefix of the path: /offer/manage/tiers/ is
    "Manage offer", not also "/offer/"; /finance/plans/1/ is "Reports" (whose `also` names
    the plans), not the trading account at /finance/. None when no item's path is a prefix."""
    matches = [
        (prefix, item.url)
        for item in items
        for prefix in item.prefixes
        if (path == "/" if prefix == "/" else path.startswith(prefix))
    ]
    return max(matches, key=lambda match: len(match[0]), default=(None, None))[1]


def portal(request):
    user = getattr(request, "user", None)
    sections = nav_sections(user) if user is not None else []
    path = request.path
    match = getattr(request, "resolver_match", None)
    # The section is that of the page's URL name, so a page outside the menu (a booking, a
    # CPD course) highlights the same section its breadcrumb starts with.
    current_name = section_of(match.view_name) if match and match.view_name else ""
    if not any(section.name == current_name for section in sections):
        closest = _closest(path, [item for section in sections for item in section.items])
        current_name = next(
            (s.name for s in sections for item in s.items if item.url == closest), ""
        )
    nav, nav_section = [], None
    for section in sections:
        entry = {
            "label": section.label,
            "url": section.url,
            "current": False,
            "exact": section.url == path,
        }
        if section.name == current_name:
            entry["current"] = True
            closest = _closest(path, section.items)
            entry["items"] = [
                {
                    "label": item.label,
                    "url": item.url,
                    "current": item.url == closest,
                    "exact": item.url == path,
                }
                for item in section.items
            ]
            nav_section = entry
        nav.append(entry)
    return {
        "partnership": SimpleLazyObject(Partnership.current),
        "nav": nav,
        "nav_section": nav_section,
    }
