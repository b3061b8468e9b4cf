"""Sign-in, language choice, and a user's own profile with API tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .choices import UserLanguageChoices
from .models import ApiToken


@require_POST
def language(request):
    """Switch the interface language; a signed-in user keeps the choice on their account."""
    code = request.POST.get("language", "")
    nxt = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        nxt = "/"
    response = HttpResponseRedirect(nxt)
    if code in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            request.user.language = code
            request.user._history_user = request.user
            request.user.save(update_fields=["language"])
        translation.activate(code)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, code, samesite="Lax", max_age=365 * 24 * 3600
        )
    return response


@login_required
def profile(request):
    if request.method == "POST":
        code = request.POST.get("language", "")
        if code in UserLanguageChoices.values:
            request.user.language = code
            request.user.save(update_fields=["language"])
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("accounts:profile"))
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": tokens,
            "languages": UserLanguageChoices.choices,
            "new_key": request.session.pop("new_token_key", None),
        },
    )


@login_required
@require_POST
def token_create(request):
    name = (request.POST.get("name") or "").strip()[:100] or _("API token")
    _token, key = ApiToken.issue(user=request.user, name=name)
    request.session["new_token_key"] = key
    messages.success(request, _("Token created. Copy the key now: it is not shown again."))
    return HttpResponseRedirect(reverse("accounts:profile"))


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    messages.success(request, _("Token revoked."))
    return HttpResponseRedirect(reverse("accounts:profile"))
