"""Notification settings, unsubscribe, the bulletin archive and the coordinator's bulletin screens.

Each view parses input, calls one operation (notifications/bulletins.py, preferences.py) and
renders; access goes through accounts.access and notifications.access.
"""

from __future__ import annotations

from csp.decorators import csp
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import role_required, signed_in
from accounts.models import Role, User
from accounts.submissions import ALREADY_SENT, once
from notifications import bulletins, preferences
from notifications.access import get_bulletin_for, get_item_for, get_sent_bulletin
from notifications.forms import BulletinForm, BulletinItemForm, ConfirmForm, PreferenceForm, ScheduleForm
from notifications.models import Bulletin, BulletinItem

# --- everyone -------------------------------------------------------------------------------


@signed_in
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST or None, instance=preferences.preference_for(request.user))
    if request.method == "POST" and form.is_valid():
        preferences.set_preferences(request.user, **{k: form.cleaned_data[k] for k in preferences.TOPICS})
        messages.success(request, "Your notification settings have been saved.")
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


def _token_user(token: str) -> tuple[User, str]:
    try:
        user_id, topic = preferences.read_unsubscribe_token(token)
    except signing.BadSignature:
        raise Http404("This unsubscribe link is not valid. Sign in to change your settings.") from None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Http404("This unsubscribe link is not valid.")
    return user, topic


@csrf_exempt  # RFC 8058: mail providers POST here without a session; the signed token authenticates
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    # GET only asks: mail scanners open links, and must not unsubscribe anyone.
    user, topic = _token_user(token)
    if request.method == "POST":
        preferences.set_preferences(user, **{topic: False})
        return render(request, "notifications/unsubscribed.html", {"topic": topic})
    return render(request, "notifications/unsubscribe.html", {"topic": topic, "email": user.email})


@signed_in
def archive(request: HttpRequest) -> HttpResponse:
    sent = Bulletin.objects.filter(status=Bulletin.Status.SENT).order_by("-month", "-sent_at")
    return render(request, "notifications/archive.html", {"bulletins": sent})


@signed_in
def archive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_sent_bulletin(pk)
    return render(request, "notifications/archive_detail.html", bulletins.web_context(bulletin, now=bulletin.sent_at))


# --- coordinator ----------------------------------------------------------------------------


@role_required(Role.COORDINATOR)
def bulletin_list(request: HttpRequest) -> HttpResponse:
    rows = Bulletin.objects.all()
    return render(request, "notifications/bulletin_list.html", {"bulletins": rows})


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def bulletin_create(request: HttpRequest) -> HttpResponse:
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "submission_key"}
        bulletin, made = once(form.cleaned_data["submission_key"], request.user,
                              lambda: bulletins.create_bulletin(by=request.user, **fields))
        if not made:
            messages.info(request, ALREADY_SENT)
        return redirect("notifications:bulletin_detail", bulletin.pk)
    return render(request, "notifications/bulletin_form.html", {"form": form})


@role_required(Role.COORDINATOR)
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_bulletin_for(request.user, pk)
    items = list(bulletin.items.all())
    sections = [(label, [i for i in items if i.section == value]) for value, label in BulletinItem.Section.choices]
    return render(request, "notifications/bulletin_detail.html", {"bulletin": bulletin, "sections": sections})


def _item_form(request: HttpRequest, bulletin: Bulletin, item: BulletinItem) -> HttpResponse:
    form = BulletinItemForm(request.POST or None, instance=item, allow_false_alarm=request.user.is_coordinator)
    if request.method == "POST" and form.is_valid():
        def save() -> BulletinItem:
            return bulletins.save_item(form.save(commit=False))

        try:
            if item.pk is None:
                saved, made = once(form.cleaned_data["submission_key"], request.user, save)
            else:
                saved, made = save(), True
        except bulletins.BulletinError as exc:
            form.add_error(None, str(exc))
        else:
            if form.allow_false_alarm and made:
                form.record_false_alarms(request.user, f"bulletin_item:{saved.pk}")
            messages.success(request, f"\u201c{saved.title}\u201d has been saved." if made else ALREADY_SENT)
            return redirect("notifications:bulletin_detail", bulletin.pk)
    return render(request, "notifications/item_form.html", {"form": form, "bulletin": bulletin, "item": item})


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_bulletin_for(request.user, pk)
    return _item_form(request, bulletin, BulletinItem(bulletin=bulletin))


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_item_for(request.user, pk, item_pk)
    return _item_form(request, item.bulletin, item)


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_item_for(request.user, pk, item_pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bulletins.remove_item(item)
        except bulletins.BulletinError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"\u201c{item.title}\u201d has been removed.")
            return redirect("notifications:bulletin_detail", pk)
    return render(request, "notifications/item_remove.html", {"form": form, "item": item, "bulletin": item.bulletin})


@role_required(Role.COORDINATOR)
def bulletin_preview(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_bulletin_for(request.user, pk)
    draft = bulletins.draft_for(bulletins.digest(bulletin), request.user)
    return render(request, "notifications/bulletin_preview.html", {"bulletin": bulletin, "draft": draft})


# The email's own HTML, shown in the preview's frame exactly as sent. Emails need inline styles,
# so this one response allows them; it allows no script at all and may only be framed by us.
@role_required(Role.COORDINATOR)
@xframe_options_sameorigin
@csp({"default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "img-src": ["'self'", "data:"],
      "frame-ancestors": ["'self'"], "base-uri": ["'none'"], "form-action": ["'none'"]})
def bulletin_preview_email(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_bulletin_for(request.user, pk)
    return HttpResponse(bulletins.preview_html(bulletin, request.user))


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def bulletin_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_bulletin_for(request.user, pk)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = bulletins.schedule(bulletin, form.cleaned_data["when"])
        except bulletins.BulletinError as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "notifications/bulletin_scheduled.html", {"bulletin": bulletin})
    return render(request, "notifications/bulletin_schedule.html", {"form": form, "bulletin": bulletin})


@role_required(Role.COORDINATOR)
@require_POST
def bulletin_unschedule(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_bulletin_for(request.user, pk)
    try:
        bulletins.unschedule(bulletin)
    except bulletins.BulletinError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The bulletin is back to draft and will not be sent.")
    return redirect("notifications:bulletin_detail", pk)
