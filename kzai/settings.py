"""Settings for kzai, read from the environment in one place.

Without any environment the project runs as the embedded demo: SQLite, Celery tasks executed
in-process, e-mail printed to the console. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY,
ALLOWED_HOSTS and friends; DEBUG is off unless asked for.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The demo key and the loopback hosts are only defaults for local development (DEBUG=1).
DEMO_SECRET_KEY = "django-insecure-kzai-demo-key-change-me"
# An empty SECRET_KEY= line (as in .env.example) counts as unset.
SECRET_KEY = env.str("SECRET_KEY", default="") or DEMO_SECRET_KEY
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
# Without DEBUG the portal refuses to start (web, worker, beat and every manage.py command, since
# they all load these settings) rather than sign sessions with a key published in this file or
# answer to no host at all.
if not DEBUG:
    _refusals = []
    if not SECRET_KEY.strip() or SECRET_KEY == DEMO_SECRET_KEY:  # e.g. a key of spaces
        _refusals.append(
            "SECRET_KEY is unset or the public demo key: set SECRET_KEY to a long random string "
            "(e.g. the output of `openssl rand -hex 32`)"
        )
    if not [host for host in ALLOWED_HOSTS if host.strip()]:
        _refusals.append(
            "ALLOWED_HOSTS is empty: set it to the comma-separated host names the site answers to "
            "(e.g. ALLOWED_HOSTS=kzai.example.kz)"
        )
    if _refusals:
        raise ImproperlyConfigured(
            "kzai refuses to start with DEBUG off. "
            + "; ".join(_refusals)
            + ". Put them in the environment or in .env (see .env.example), or set DEBUG=1 for "
            "local development only."
        )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_celery_beat",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "kzai.core",
    "kzai.accounts",
    "kzai.activity",
    "kzai.deadlines",
    "kzai.jobs",
    "registry",
    "risk",
    "documents",
    "audit",
]

MIDDLEWARE = [
    # These three come before WhiteNoise so static files get the same security headers as pages.
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kzai.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kzai.core.api.throttling.ApiAddressThrottleMiddleware",
    "kzai.core.middleware.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kzai.activity.middleware.ActivityContextMiddleware",
    "kzai.accounts.middleware.ActiveOrganizationMiddleware",
    "kzai.accounts.two_factor.TwoFactorRequiredMiddleware",
    # Last: turns a sign-in refused by the lockout backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kzai.urls"
WSGI_APPLICATION = "kzai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kzai.core.context_processors.tenancy",
            ],
        },
    },
]

# Django's form templates, with selects, inputs and labels written out in Python (same text): the
# filter bar of every list renders dozens of them.
FORM_RENDERER = "kzai.core.form_renderer.FormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep connections open between requests (opening one per request costs a PostgreSQL backend
# start, ~5–10 ms); the health check replaces a connection the server closed before reusing it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The AI system model of the register: platform code (activity filters) names it here, never imports it.
KZAI_SYSTEM_MODEL = "registry.AISystem"
AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in of a locked-out account or address before a password is checked.
    "kzai.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT failures for one account, or from one
# address, sign-in is refused until the cool-off time has passed since the last failure, or until an
# organization administrator (members page) or an operator (`manage.py axes_reset_username EMAIL`)
# lifts it. Attempts live in the database (shared by every web process, visible in the admin).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account and per address
# Failures during a lockout do not prolong it, so nobody can keep another person's account locked.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "kzai.accounts.lockout.username_from_request"
AXES_LOCKOUT_CALLABLE = "kzai.accounts.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Two-factor sign-in (django-otp, TOTP with recovery codes). Always required for organization
# administrators and staff (TWO_FACTOR_FOR_ADMINS), for every member where the organization asks.
KZAI_TWO_FACTOR_FOR_ADMINS = env.bool("TWO_FACTOR_FOR_ADMINS", default=True)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="kzai")
KZAI_RECOVERY_CODES = 10
# guardian: no anonymous user row; kzai never grants anything to anonymous visitors.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A text missing in Kazakh is shown in Russian, never straight in English: for the interface's
# gettext catalogue (kzai.core.i18n) and for the law's data texts (risk.library.texts).
LANGUAGE_FALLBACKS = {"kk": "ru"}
# Date formats for Kazakh (Django ships none): kzai/formats/kk/formats.py.
FORMAT_MODULE_PATH = ["kzai.formats"]
# A list filter's empty option reads "Any", not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("Any")
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Redis is optional: without it tasks run in-process and the cache is local memory.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Django's Redis cache, with one client per connection pool (kzai.core.cache.RedisCache).
    CACHES = {"default": {"BACKEND": "kzai.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kzai <no-reply@kzai.local>")
# Seconds before a silent mail server counts as down (the sending task then retries later).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Session and cookie security: secure cookies whenever the site is served over HTTPS.
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG and SITE_URL.startswith("https://"))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; kept default
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Container healthchecks call /healthz over plain HTTP from inside the host.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
BEHIND_PROXY = env.bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# The client address for lockouts and throttles: X-Forwarded-For (set by our one proxy) only behind a
# proxy; otherwise anyone could choose their address with a header.
AXES_IPWARE_PROXY_COUNT = 1 if BEHIND_PROXY else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if BEHIND_PROXY else ("REMOTE_ADDR",)
)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only our own scripts, styles, images and connections; no
# inline script or event handler anywhere (tests/core/test_headers.py checks the templates), no
# framing, forms post only to us. The QR code of two-factor enrolment is inline SVG markup (no
# script); Swagger UI loads its settings from a script file (SpectacularSwaggerSplitView).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Powerful browser features the portal never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kzai.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "kzai.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "kzai.core.api.parsers.JSONParser",  # a 400, not a 500, for JSON nested too deeply
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "kzai.core.api.schema.KzaiAutoSchema",
    "EXCEPTION_HANDLER": "kzai.core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_CLASSES": [
        "kzai.core.api.throttling.TokenRateThrottle",
    ],  # per address: kzai.core.api.throttling.ApiAddressThrottleMiddleware, before authentication
    # The client address for throttles: X-Forwarded-For only behind our one proxy.
    "NUM_PROXIES": 1 if BEHIND_PROXY else 0,
}
# API rates (DRF syntax: N/second|minute|hour|day) per token or signed-in user, per client address
# (everyone behind it together), and of invalid bearer tokens per address. Answered with 429 and
# Retry-After; counted in the default cache.
KZAI_API_THROTTLE_RATES = {
    "token": env.str("API_RATE_PER_TOKEN", default="600/minute"),
    "address": env.str("API_RATE_PER_ADDRESS", default="1200/minute"),
    "invalid_token": env.str("API_RATE_INVALID_TOKENS", default="20/hour"),
}
# The schema and Swagger UI: public in the demo (DEBUG), for signed-in users and tokens otherwise.
KZAI_API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=DEBUG)
SPECTACULAR_SETTINGS = {
    "TITLE": "kzai API",
    "DESCRIPTION": (
        "REST API of kzai, the compliance portal for AI systems under the Law of the Republic of "
        'Kazakhstan "On Artificial Intelligence". Authenticate with `Authorization: Bearer <token>`; '
        "a token acts for one user in one organization."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["kzai.core.api.permissions.ApiDocsAccess"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name get distinct schema names.
    "ENUM_NAME_OVERRIDES": {
        "MemberRoleEnum": "kzai.core.roles.Role",
        "PartyRoleEnum": "registry.choices.PartyRole",
        "ScoreBandEnum": "risk.risk_management.choices.ScoreBand",
        # Suggested and declared levels of a classification share the register's choice sets.
        "RiskLevelEnum": "registry.choices.RiskLevel",
        "AutonomyLevelEnum": "registry.choices.AutonomyLevel",
        "ClassificationStatusEnum": "risk.choices.ClassificationStatus",
        "ObligationStatusEnum": "risk.choices.ObligationStatus",
        "DocumentStateEnum": "documents.choices.DocumentState",
        "JobStatusEnum": "kzai.jobs.choices.JobStatus",
    },
    # The API docs page works offline and behind strict networks: assets come from our own static files.
    # Operations grouped by what they are about (kzai.core.api.schema assigns them by URL).
    "TAGS": [
        {
            "name": "overview",
            "description": "Where the organization stands: score, figures, your open items.",
        },
        {
            "name": "register",
            "description": "AI systems, their components, parties, data libraries, tags, import.",
        },
        {"name": "classification", "description": "Risk classification and the prohibited-practice screen."},
        {"name": "obligations", "description": "Obligations, the requirements library and fines exposure."},
        {"name": "risk management", "description": "Risk register, measures and annual risk reviews."},
        {
            "name": "documents",
            "description": "Documentation, versions, evidence, passport and inspection pack.",
        },
        {
            "name": "audit",
            "description": "Audit engagements, criteria, evidence requests, findings, filings.",
        },
        {"name": "public", "description": "Public pages, user agreements, user reports and objections."},
        {"name": "deadlines", "description": "Deadlines and notifications."},
        {"name": "accounts", "description": "You, the members and invitations."},
        {"name": "activity", "description": "The activity log and its integrity chain."},
        {"name": "jobs", "description": "Background jobs (imports, generated documents)."},
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# The tag of each API operation, by URL prefix (the longest matching prefix wins).
KZAI_API_TAG_PREFIXES = [
    ("/api/v1/overview/", "overview"),
    ("/api/v1/systems/", "register"),
    ("/api/v1/components/", "register"),
    ("/api/v1/parties/", "register"),
    ("/api/v1/party-links/", "register"),
    ("/api/v1/data-libraries/", "register"),
    ("/api/v1/data-library-uses/", "register"),
    ("/api/v1/tags/", "register"),
    ("/api/v1/risk/classifications/", "classification"),
    ("/api/v1/risk/screenings/", "classification"),
    ("/api/v1/risk/contradictions/", "classification"),
    ("/api/v1/risk/obligations/", "obligations"),
    ("/api/v1/risk/library-versions/", "obligations"),
    ("/api/v1/risk/fines-exposure/", "obligations"),
    ("/api/v1/risk/", "risk management"),
    ("/api/v1/documents/", "documents"),
    ("/api/v1/document-versions/", "documents"),
    ("/api/v1/evidence-links/", "documents"),
    ("/api/v1/audit/", "audit"),
    ("/api/v1/public/", "public"),
    ("/api/v1/labels/", "public"),
    ("/api/v1/label-keys/", "public"),
    ("/api/v1/consumer-notices/", "public"),
    ("/api/v1/deadlines/", "deadlines"),
    ("/api/v1/notifications/", "deadlines"),
    ("/api/v1/me/", "accounts"),
    ("/api/v1/members/", "accounts"),
    ("/api/v1/invitations/", "accounts"),
    ("/api/v1/activity/", "activity"),
    ("/api/v1/jobs/", "jobs"),
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # In-process (eager) tasks would print a "Task … succeeded" line per task into the demo's
        # console; a real worker keeps them.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}

# Reminders (kzai.deadlines.reminders): days before a due date, then every N days once overdue.
KZAI_REMINDER_DAYS = env.list("KZAI_REMINDER_DAYS", cast=int, default=[30, 7, 1])
KZAI_REMINDER_OVERDUE_REPEAT_DAYS = env.int("KZAI_REMINDER_OVERDUE_REPEAT_DAYS", default=7)
KZAI_REMINDER_TIME_ZONE = "Asia/Almaty"
# Hours an import's uploaded file is kept for its commit after the dry run; the daily sweep deletes it then.
KZAI_IMPORT_UPLOAD_HOURS = env.int("KZAI_IMPORT_UPLOAD_HOURS", default=24)
# An XLSX export of more rows than this is prepared by a background job (progress, then a download
# link) instead of while the person waits; CSV is always streamed. Its file is kept this many hours.
KZAI_EXPORT_BACKGROUND_ROWS = env.int("KZAI_EXPORT_BACKGROUND_ROWS", default=5000)
KZAI_EXPORT_FILE_HOURS = env.int("KZAI_EXPORT_FILE_HOURS", default=24)
# A job still "running" this many minutes after it started lost its worker (a job's hard time limit
# is 31 minutes): the jobs sweep marks it failed with a reason the person can read.
KZAI_JOB_STALE_MINUTES = env.int("KZAI_JOB_STALE_MINUTES", default=120)
# Working-day clocks (kzai/deadlines/workdays.py): days off or working days set by a government decree
# that the installed `holidays` package does not carry yet, as ISO dates.
KZAI_EXTRA_DAYS_OFF = env.list("KZAI_EXTRA_DAYS_OFF", default=[])
KZAI_EXTRA_WORKING_DAYS = env.list("KZAI_EXTRA_WORKING_DAYS", default=[])
# The beat schedule kept in the database; `manage.py setup_schedule` writes it (idempotent).
KZAI_BEAT_SCHEDULE = {
    "kzai daily deadline sweep": {"task": "deadlines.daily_sweep", "hour": "6", "minute": "0"},
    # Whatever a mail server outage or a crash left in the outbox (invitations, reminders).
    "kzai outbox flush": {"task": "deadlines.send_notifications", "hour": "*", "minute": "*/10"},
    "audit daily access sweep": {"task": "audit.access_sweep", "hour": "0", "minute": "30"},
}
# Documents (the documents app): accepted file types (extension → media type) and the size limit.
# The content of each upload must match its extension (documents.files).
KZAI_DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "csv": "text/csv",
    "md": "text/markdown",
}
KZAI_DOCUMENT_MAX_BYTES = env.int("KZAI_DOCUMENT_MAX_BYTES", default=25 * 1024 * 1024)
KZAI_BEAT_SCHEDULE["kzai documents expiry"] = {"task": "documents.expire_sweep", "hour": "5", "minute": "30"}

# File-based e-mail (the worker test, local debugging): EMAIL_FILE_PATH=/some/dir.
if env.str("EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
