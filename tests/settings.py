"""Settings for the test suite: Cordon's own, with a throw-away data directory.

The database is SQLite unless CORDON_DATABASE_URL names a PostgreSQL server (CI runs both).
"""

import os
import tempfile

os.environ["CORDON_DATA_DIR"] = tempfile.mkdtemp(prefix="cordon-test-")
os.environ.setdefault("CORDON_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ["CORDON_STATIC_FINDERS"] = "1"
os.environ.setdefault("CORDON_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from cordon.i18n import compile_catalogs
from cordon.settings import *  # noqa: F403

compile_catalogs()

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_FAILURE_LIMIT = 3
LANGUAGE_CODE = "en"
LOGGING = {"version": 1, "disable_existing_loggers": False}
