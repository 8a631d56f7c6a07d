"""Authentication backends of kzai."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses sign-in for a locked-out account or address (django-axes), before any password check.

    Every sign-in a person makes (the sign-in page, the admin) passes the request; a call without one
    (the test client's `login()`, code authenticating programmatically) has no address to lock and
    is left to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
