from django.utils.functional import SimpleLazyObject

from .models import Partnership
from .navigation import nav_items


def portal(request):
    user = getattr(request, "user", None)
    path = request.path
    nav = []
    for item in nav_items(user) if user is not None else []:
        url = item.url
        current = path == "/" if url == "/" else path.startswith(url)
        nav.append({"label": item.label, "url": url, "current": current})
    # Only the closest match is current: /offer/manage/ is "Manage offer", not also "/offer/".
    longest = max((len(entry["url"]) for entry in nav if entry["current"]), default=0)
    for entry in nav:
        entry["current"] = entry["current"] and len(entry["url"]) == longest
    return {"partnership": SimpleLazyObject(Partnership.current), "nav": nav}
