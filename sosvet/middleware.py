"""Site-wide middleware."""

#: the session key of the interface language of a signed-in user's councils
#: (``councils.apps``, at sign-in)
COUNCIL_LANGUAGE_SESSION_KEY = "sosvet_council_language"


class SlovenianByDefaultMiddleware:
    """Slovenian is the default language, whatever the browser's Accept-Language says.

    A user who picks a language with the language switch (cookie) gets it. A signed-in user
    whose councils are all written in another language (a Norwegian council that writes in
    English) gets that language, decided at sign-in. Everyone else gets Slovenian, the
    language of the councils' official records. ``LocaleMiddleware``, next, does the rest:
    it reads the header this middleware leaves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        session = getattr(request, "session", None)
        language = session.get(COUNCIL_LANGUAGE_SESSION_KEY) if session is not None else None
        if language:
            request.META["HTTP_ACCEPT_LANGUAGE"] = language
        return self.get_response(request)
