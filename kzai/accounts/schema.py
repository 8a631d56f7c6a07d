"""Tells drf-spectacular how the API authenticates, so the schema documents `Bearer` tokens."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "kzai.accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token created in the portal (Settings → API tokens) or with "
            "`manage.py create_api_token`. It acts for one user in one organization.",
        }
