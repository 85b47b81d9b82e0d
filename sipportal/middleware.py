"""Middleware for running SIP Portal locally."""

from django.http import Http404
from django.urls import Resolver404, resolve
from django.views import defaults


class FriendlyNotFoundMiddleware:
    """Under DEBUG, show the site's own 404 page instead of Django's, which lists every URL.

    Installed only when DEBUG is on and DEBUG_PAGES is off (see settings). Django's debug 404
    comes both from a view raising Http404 and from a path no URL matches, so both are caught.
    (403 already uses the site's page whatever DEBUG says.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            resolve(request.path_info)
        except Resolver404 as missing:
            return defaults.page_not_found(request, missing)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        return None
