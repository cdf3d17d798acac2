"""The public allow-list: the only pages anyone may open without signing in.

Every other URL sends an anonymous visitor to sign-in. The list lives here, in one place, and
deliberately ignores views that call themselves public (``login_not_required``): a library
upgrade cannot quietly open a page.
"""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware

PUBLIC_VIEW_NAMES = frozenset(
    {
        "account_login",
        "account_inactive",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "health",
        "signed_out_inactive",
        "mfa_authenticate",
        "accessibility",
        # Questionnaires: agencies have no accounts, and the kiosk is signed out. The page shows
        # questions only; the unguessable single-use link is the credential.
        "feedback:questionnaire",
    }
)


def is_public(view_name: str | None) -> bool:
    return view_name in PUBLIC_VIEW_NAMES


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Django's sign-in requirement, with the allow-list above as the only way out of it."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and is_public(match.view_name):
            return None
        return self.handle_no_permission(request, view_func)

    def get_login_url(self, view_func) -> str:
        # Always Convene's own sign-in (with its second factor), whatever a view asks for.
        return str(settings.LOGIN_URL)
