from __future__ import annotations

from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.access import role_required, signed_in
from accounts.adapter import INVITATION_SESSION_KEY
from accounts.forms import GrantRoleForm, InviteForm, ProfileForm
from accounts.models import Invitation, Role, RoleChange, RoleGrant, User
from accounts.roles import RoleError, grant_role, invite, remove_role


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


@signed_in
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your details have been saved.")
        return redirect(next_url or "home")
    return render(request, "accounts/profile.html", {"form": form, "next": next_url})


def _people_queryset():
    from allauth.mfa.models import Authenticator

    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return (
        User.objects.select_related("agency_type")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))
        .annotate(has_totp_set_up=Exists(totp))
    )


@role_required(Role.COORDINATOR)
def people(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    users = _people_queryset()
    if show == "privileged":
        users = users.filter(role_grants__isnull=False).distinct()
    elif show == "no-2fa":
        users = users.filter(role_grants__isnull=False, has_totp_set_up=False).distinct()
    return render(
        request,
        "accounts/people.html",
        {"people": users, "show": show, "invitations": Invitation.objects.filter(accepted_at=None)[:50]},
    )


@role_required(Role.COORDINATOR)
def person(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(_people_queryset(), pk=pk)
    return render(
        request,
        "accounts/person.html",
        {
            "person": subject,
            "grant_form": GrantRoleForm(),
            "changes": RoleChange.objects.filter(user=subject).select_related("changed_by")[:20],
        },
    )


@role_required(Role.COORDINATOR)
@require_POST
def person_grant_role(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    form = GrantRoleForm(request.POST)
    if form.is_valid():
        try:
            grant_role(subject, form.cleaned_data["role"], by=request.user)
        except RoleError as exc:
            form.add_error("role", str(exc))
        else:
            messages.success(request, f"{subject} is now a {Role(form.cleaned_data['role']).label.lower()}.")
            return redirect("accounts:person", pk=subject.pk)
    subject = _people_queryset().get(pk=pk)
    return render(
        request,
        "accounts/person.html",
        {"person": subject, "grant_form": form, "changes": RoleChange.objects.filter(user=subject)[:20]},
        status=400,
    )


@role_required(Role.COORDINATOR)
@require_POST
def person_remove_role(request: HttpRequest, pk: int, role: str) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    if role not in Role.values:
        return render(request, "errors/400.html", {"reason": "That is not a role."}, status=400)
    try:
        remove_role(subject, role, by=request.user)
    except RoleError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:person", pk=subject.pk)
    messages.success(request, f"{subject} is no longer a {Role(role).label.lower()}.")
    return redirect("accounts:person", pk=subject.pk)


@role_required(Role.COORDINATOR)
def invite_person(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invite(
                form.cleaned_data["email"], form.cleaned_data["roles"], by=request.user,
                submission_key=form.cleaned_data["submission_key"],
            )
        except RoleError as exc:
            form.add_error("roles", str(exc))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("accounts:people")
    return render(request, "accounts/invite.html", {"form": form}, status=400 if form.errors else 200)


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is None or not invitation.is_usable():
        return render(request, "accounts/invitation_invalid.html", status=404)
    request.session[INVITATION_SESSION_KEY] = invitation.token
    return redirect("account_signup")
