"""The service's URLs plus one view that raises, for the 500 page tests."""

from __future__ import annotations

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as service_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken_view(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken_view), *service_urlpatterns]
