from django.http import HttpResponse


def bare(request):
    """The benchmark's yardstick: a view that does nothing, through the same middleware."""
    return HttpResponse("ok", content_type="text/plain")
