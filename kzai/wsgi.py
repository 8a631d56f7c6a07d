import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzai.settings")
application = get_wsgi_application()

from kzai.core.startup import require_collected_static  # noqa: E402  (needs the settings loaded)

require_collected_static()
