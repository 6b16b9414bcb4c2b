"""Activate the signed-in user's chosen language (U10)."""

from django.utils import translation


class UserLanguageMiddleware:
    """After LocaleMiddleware: a user's profile language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None else ""
        if language and user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
