"""The calendar-subscription page (signed in) and the feed itself (anonymous, by secret link)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_GET, require_POST, require_safe

from accounts.access import signed_in
from accounts.models import Role
from notifications import feed_links, feeds


@signed_in
@require_GET
def subscription(request: HttpRequest) -> HttpResponse:
    link = feed_links.link_for(request.user)
    return render(request, "notifications/calendar_subscription.html", {
        "link": link, "facilitates": request.user.has_role(Role.PRACTICE_LEAD),
    })


@signed_in
@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    before = feed_links.link_for(request.user).key
    link = feed_links.reset_link(request.user, replacing=request.POST.get("key", ""), by=request.user)
    if link.key != before:
        messages.success(request, "You have a new calendar link. The old one has stopped working: replace it in your "
                                  "calendar apps.")
    return redirect("calendar:subscription")


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    # No session, no sign-in: calendar apps fetch this on their own. The secret link is the key.
    link = feed_links.find(token)
    if link is None:
        raise Http404("No such calendar")
    events = feeds.events_for(link.user)
    # Strong ETag from the events (the body is a pure function of them): a poll with
    # If-None-Match costs a 304 without rendering. There is no Last-Modified: a venue edited in
    # place changes the feed without a timestamp we could trust.
    etag = feeds.etag_for(events)
    not_modified = get_conditional_response(request, etag=etag)
    response = not_modified or HttpResponse(feeds.render(events), content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, private=True, max_age=900)
    response["X-Robots-Tag"] = "noindex, nofollow"
    if not_modified is None:
        response["Content-Disposition"] = 'inline; filename="bookings.ics"'
    return response
