"""WSGI entry point (gunicorn cordon.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cordon.settings")
application = get_wsgi_application()
