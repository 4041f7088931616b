import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# gunicorn runs no system check: refuse to start rather than answer every page with a 500.
from core.checks import refuse_to_serve_without_static  # noqa: E402

refuse_to_serve_without_static()
