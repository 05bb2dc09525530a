from django.utils.functional import SimpleLazyObject

from .models import Partnership
from .navigation import nav_sections, section_of


def _closest(path, urls):
    """The URL that is the longest prefix of the path: /offer/manage/tiers/ is "Manage
    offer", not also "/offer/". None when no URL is a prefix."""
    matches = [url for url in urls if (path == "/" if url == "/" else path.startswith(url))]
    return max(matches, key=len, default=None)


def portal(request):
    user = getattr(request, "user", None)
    sections = nav_sections(user) if user is not None else []
    path = request.path
    match = getattr(request, "resolver_match", None)
    # The section is that of the page's URL name, so a page outside the menu (a booking, a
    # CPD course) highlights the same section its breadcrumb starts with.
    current_name = section_of(match.view_name) if match and match.view_name else ""
    if not any(section.name == current_name for section in sections):
        closest = _closest(path, [item.url for section in sections for item in section.items])
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
            urls = [item.url for item in section.items]
            closest = _closest(path, urls)
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
