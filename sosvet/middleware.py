"""Site-wide middleware."""


class SlovenianByDefaultMiddleware:
    """Slovenian is the default language, whatever the browser's Accept-Language says.

    A user who picks English with the language switch (cookie) gets English; everyone
    else gets Slovenian, the language of the councils' official records.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
