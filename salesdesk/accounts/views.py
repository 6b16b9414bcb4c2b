"""Sign-in, language switch and the user's profile with API tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesdesk.accounts import services
from salesdesk.accounts.models import ApiToken
from salesdesk.accounts.roles import role_label


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@require_POST
def language_view(request):
    """Switch the interface language (U10); remembered in a cookie and the user's profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("Unknown language."))
        return response
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language, actor=request.user)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


@login_required
def profile_view(request):
    """The signed-in user's roles, department and API tokens."""
    context = {
        "roles": [role_label(name) for name in request.user.role_names],
        "tokens": ApiToken.objects.filter(user=request.user),
        "new_token": request.session.pop("new_token", None),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def token_create_view(request):
    token, raw = services.token_create(
        user=request.user, name=request.POST.get("name", ""), actor=request.user
    )
    # Shown once on the next page, then gone: only the digest is stored.
    request.session["new_token"] = {"name": token.name, "value": raw}
    messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    token = services.token_revoke(token_id=token_id, actor=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:profile")
