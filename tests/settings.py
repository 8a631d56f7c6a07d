"""Settings the test suite runs with: kzai's own, with a throwaway key and the test client's hosts.

With DEBUG off kzai refuses the demo key and an empty ALLOWED_HOSTS (see kzai/settings.py); the
suite runs with DEBUG off, like production, so it supplies both. They are put in the environment
before kzai.settings reads it, so that subprocesses a test starts (manage.py, a Celery worker)
inherit them; a variable already set wins.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-0123456789abcdef0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from kzai.settings import *  # noqa: E402,F403

# A cache prefix per test run (inherited by the subprocesses a test starts): ids restart in every
# new test database, so a per-organization value cached in Redis by an earlier run must not be
# found by this one (kzai.core.cache keys carry the organization id).
os.environ.setdefault("KZAI_TESTS_CACHE_PREFIX", f"tests-{os.getpid()}-{os.urandom(4).hex()}")
CACHES["default"]["KEY_PREFIX"] = os.environ["KZAI_TESTS_CACHE_PREFIX"]  # noqa: F405
