"""Rapport settings: one module, driven by the environment.

Every value that differs between a laptop, CI and production is read here from
the environment (or a `.env` file beside `manage.py`). Defaults suit the
embedded mode that `make run` starts: SQLite, an embedded Celery broker and
console email. Production sets `DEBUG=0` and must provide `SECRET_KEY`.
"""

from pathlib import Path

import environ
from bootstrap_wrapper import get_bootstrap_dir
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # local state of the embedded mode (SQLite, broker, beat)

VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key only while DEBUG is on; production refuses to start without one.
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (production), or set DEBUG=1 for a development key."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications: Django's, third-party, ours ------------------------------

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_filters",
    "chartkick.django",  # ships Chart.js and chartkick.js as static files
    "csp",
]
LOCAL_APPS = [
    "core",
    "accounts",
    "insights",
    "intranet",
    "advocacy",
    "councils",
    "dashboard",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "core.middleware.ApiErrorMiddleware",  # first, so that it sees every answer under /api/
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.RefuseNulMiddleware",  # before anything reads a parameter (its 400 still gets the CSP)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "accounts.context_processors.notifications",
                "dashboard.context_processors.navigation",
            ],
        },
    },
]

# --- Data ------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'rapport.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: wait for a lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    # Persistent connections roughly quadruple throughput; health checks drop dead ones.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# CACHE_URL wins; else Redis when there is one; else (embedded mode) a per-process
# memory cache. Rate limits need a real cache: never DummyCache.
CACHES = {
    "default": env.cache_url(
        "CACHE_URL",
        default=REDIS_URL.replace("redis://", "rediscache://", 1) if REDIS_URL else "locmemcache://",
    )
}
# Every entry expires: where a caller gives no timeout, five minutes (never "forever").
CACHES["default"].setdefault("TIMEOUT", 300)

# --- Accounts and allauth --------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {  # our user has a name, not first_name/last_name: compare the password with it too
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions are read from the cache and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "accounts.forms.EmployeeSignupForm",
    # Also reaches inactive accounts that intranet_import made, so their owners can claim them.
    "reset_password": "intranet.claim.ClaimResetPasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Rapport] "
# allauth's own rate limits stay on (its defaults), on the cache above.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

# Self sign-up is open only to these email domains; they become employees.
EMPLOYEE_EMAIL_DOMAINS = [
    d.lower().lstrip("@") for d in env.list("EMPLOYEE_EMAIL_DOMAINS", default=["carlssoda.example"] if DEBUG else [])
]

# --- Email -----------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
    # filemail:///var/mail means the absolute path /var/mail (django-environ drops the slash).
    _mail_path = EMAIL_CONFIG.get("EMAIL_FILE_PATH") or ""
    EMAIL_FILE_PATH = "/" + _mail_path.lstrip("/") if _mail_path else str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Rapport <rapport@carlssoda.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation --------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True
# One way to show dates: `{{ day|date }}`, `{{ moment|date:"DATETIME_FORMAT" }}`, and `{{ moment|when }}`
# ("3 minutes ago" within the last day; core/templatetags/rapport.py). config/formats/ makes them win
# over the locale's own.
DATE_FORMAT = "j M Y"  # 3 Nov 2026
DATETIME_FORMAT = "j M Y, H:i"  # 3 Nov 2026, 14:05
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"  # 3 Nov
TIME_FORMAT = "H:i"
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static files: every asset is served by the app, none from a CDN --------

MEDIA_URL = "/media/"  # uploads (CSV imports) are served by views that check access, never directly
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))  # where collectstatic writes
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", get_bootstrap_dir())]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATICFILES_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- API -------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.ScopedAccess"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.StorableJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.AnonRateThrottle",
        "core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/min"),
        "user": env("API_THROTTLE_USER", default="6000/min"),
    },
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "Rapport API",
    "DESCRIPTION": (
        "Brand-advocacy program API. Integrations authenticate with "
        "`Authorization: Api-Key <key>`; each key carries scopes."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Several models have a "status": name each choice set that drf-spectacular cannot name alone.
    "ENUM_NAME_OVERRIDES": {
        "FindingStatusEnum": "insights.models.Finding.Status",
        "CouncilKindEnum": "councils.models.Council.Kind",
        "CouncilSeatKindEnum": "councils.models.SeatKind",
        "CouncilEventKindEnum": "councils.models.SeatEvent.Kind",
        "CouncilNominationStatusEnum": "councils.models.Nomination.Status",
        "MeetingStatusEnum": "councils.models.Meeting.Status",
        "ActionItemStatusEnum": "councils.models.ActionItem.Status",
    },
}

# --- Celery ----------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    # Embedded broker: kombu's filesystem transport, no server needed.
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),  # remote-control (pidbox) messages
    }
else:
    # Longer than the longest task, so a task in flight is not handed out twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task is acknowledged only once it has run, and given back if its worker dies,
# so every task must be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60  # well under the broker's visibility timeout
CELERY_TASK_DEFAULT_RETRY_DELAY = 10
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule"))
INSIGHTS_ROLLUP_SECONDS = env.int("INSIGHTS_ROLLUP_SECONDS", default=60)
# The hour (organisation's time) the daily notification digest goes out; how often pages ask for the unread count.
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=17)
NOTIFICATIONS_POLL_SECONDS = env.int("NOTIFICATIONS_POLL_SECONDS", default=30)
CELERY_BEAT_SCHEDULE = {
    # Every minute; a run that no worker took within 50 s is dropped. A second run skips feeds the first claimed.
    "feeds": {"task": "insights.tasks.feeds_poll_due_task", "schedule": crontab(), "options": {"expires": 50}},
    # Every minute, over the 60 minutes up to now: a spike ingested now is an alert within a minute.
    "alerts": {"task": "insights.tasks.alerts_evaluate_task", "schedule": crontab(), "options": {"expires": 50}},
    # Every minute: an email for each mention that became overdue, once (insights.services.responses).
    "overdue": {"task": "insights.tasks.overdue_notices_task", "schedule": crontab(), "options": {"expires": 50}},
    "alerts-digest": {"task": "insights.tasks.alerts_digest_task", "schedule": crontab(minute=2)},
    "rollups": {
        "task": "insights.tasks.rollups_refresh_task",
        "schedule": INSIGHTS_ROLLUP_SECONDS,
        "options": {"expires": INSIGHTS_ROLLUP_SECONDS},
    },
    # Daily: cancel CSV uploads left waiting for their mapping longer than INSIGHTS_UPLOAD_MAX_AGE_HOURS.
    "imports-abandoned": {
        "task": "insights.tasks.imports_cancel_abandoned_task",
        "schedule": crontab(hour=3, minute=17),
    },
    # Hourly: expire lapsed invitations and waitlist offers, offer freed seats to the waitlist.
    "invitations-expire": {"task": "advocacy.tasks.invitations_expire_task", "schedule": crontab(minute=7)},
    "badges": {
        "task": "advocacy.tasks.badges_refresh_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    # Advocate discovery's ranking scans every brand mention: computed here, read from the cache by pages.
    "advocate-candidates": {
        "task": "advocacy.tasks.candidates_refresh_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    # Daily: each opted-in user's digest of unread notifications, once a day (accounts.services).
    "notification-digests": {
        "task": "accounts.tasks.notification_digests_task",
        "schedule": crontab(hour=NOTIFICATIONS_DIGEST_HOUR, minute=0),
        "options": {"expires": 6 * 3600},
    },
    # Every 15 minutes: council seats a lost signal left held (councils.services.seats.seats_reconcile).
    "council-seats-reconcile": {
        "task": "councils.tasks.seats_reconcile_task",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
    # Council meetings: the week and day reminders, each sent once (claimed in the database).
    "council-meeting-reminders": {
        "task": "councils.tasks.meeting_reminders_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    # Every minute; a beat that no worker took within 50 s is dropped, not piled up.
    "heartbeat": {"task": "core.tasks.heartbeat", "schedule": crontab(), "options": {"expires": 50}},
}

# /healthz reports the heartbeat stale (503) after this many seconds.
HEARTBEAT_MAX_AGE = env.int("HEARTBEAT_MAX_AGE", default=180)

# --- Insights (listening) -------------------------------------------------

INSIGHTS_SENTIMENT_SCORER = env("INSIGHTS_SENTIMENT_SCORER", default="insights.sentiment.VaderScorer")
# Mentions that come without a language are taken to be in this one.
INSIGHTS_DEFAULT_LANGUAGE = env("INSIGHTS_DEFAULT_LANGUAGE", default="en")
# A mention that arrives without a language: detected among these (insights.languages; a handful keeps it fast and
# small), and left blank (the default language) when the best is not ahead of the next by this relative distance.
INSIGHTS_DETECT_LANGUAGES = env.list("INSIGHTS_DETECT_LANGUAGES", default=["en", "es", "fr", "de", "it", "pt", "nl"])
INSIGHTS_DETECT_MIN_DISTANCE = env.float("INSIGHTS_DETECT_MIN_DISTANCE", default=0.25)
INSIGHTS_FEED_TIMEOUT_SECONDS = env.int("INSIGHTS_FEED_TIMEOUT_SECONDS", default=10)
# Feeds on private, local or reserved addresses are refused (no requests into our own network);
# 1 allows them, e.g. an intranet blog (the tests' local feed server does).
INSIGHTS_FEED_ALLOW_PRIVATE = env.bool("INSIGHTS_FEED_ALLOW_PRIVATE", default=False)
INSIGHTS_BULK_MAX_ITEMS = 5000
INSIGHTS_MAX_ACTIVE_TERMS = env.int("INSIGHTS_MAX_ACTIVE_TERMS", default=500)
# A CSV upload still waiting for its column mapping after this many hours is cancelled (its file deleted).
INSIGHTS_UPLOAD_MAX_AGE_HOURS = env.int("INSIGHTS_UPLOAD_MAX_AGE_HOURS", default=48)
# Rollup answers larger than this are computed each time rather than cached (a bound on the cache's memory).
INSIGHTS_SERIES_CACHE_MAX_BYTES = env.int("INSIGHTS_SERIES_CACHE_MAX_BYTES", default=2 * 1024 * 1024)
INSIGHTS_BULK_MAX_BYTES = 64 * 1024 * 1024  # 5,000 items of up to 10,000 characters, with room
# A published time further ahead than this is refused as a bad clock or a typo.
INSIGHTS_FUTURE_TOLERANCE_MINUTES = 10
# Triage: an author with at least this many followers needs attention whatever the mention says.
INSIGHTS_HIGH_REACH = env.int("INSIGHTS_HIGH_REACH", default=10_000)
# Bulk triage acts on at most this many mentions at once ("every row of the filter" included).
# The overdue email goes only for mentions that fell due within these hours (older ones wait in the overdue queue).
INSIGHTS_OVERDUE_EMAIL_WINDOW_HOURS = env.int("INSIGHTS_OVERDUE_EMAIL_WINDOW_HOURS", default=24)
INSIGHTS_BULK_ACTION_MAX = env.int("INSIGHTS_BULK_ACTION_MAX", default=10_000)

# Alerts: the last complete hour of a term against its trailing baseline.
INSIGHTS_ALERT_BASELINE_HOURS = env.int("INSIGHTS_ALERT_BASELINE_HOURS", default=7 * 24)
INSIGHTS_ALERT_MIN_MENTIONS = env.int("INSIGHTS_ALERT_MIN_MENTIONS", default=10)  # in the hour, for either alert
INSIGHTS_ALERT_VOLUME_RATIO = env.float("INSIGHTS_ALERT_VOLUME_RATIO", default=3.0)  # hour / baseline hourly mean
INSIGHTS_ALERT_NEGATIVE_SHARE = env.float("INSIGHTS_ALERT_NEGATIVE_SHARE", default=0.4)  # of scored mentions
INSIGHTS_ALERT_NEGATIVE_RISE = env.float("INSIGHTS_ALERT_NEGATIVE_RISE", default=0.2)  # above the baseline share
INSIGHTS_ALERT_QUIET_HOURS = env.int("INSIGHTS_ALERT_QUIET_HOURS", default=6)  # then an episode closes by itself

# --- Intranet: people --------------------------------------------------------

INTRANET_PHOTO_MAX_BYTES = env.int("INTRANET_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
# Width × height refused before decoding: a small file that unpacks to gigabytes (an image bomb).
INTRANET_PHOTO_MAX_PIXELS = env.int("INTRANET_PHOTO_MAX_PIXELS", default=40_000_000)
INTRANET_PHOTO_SIZE = 512  # stored photos fit in this square, re-encoded as JPEG
INTRANET_NEW_JOINER_DAYS = env.int("INTRANET_NEW_JOINER_DAYS", default=90)
# Feedback reports and the eNPS pulse show a group's numbers only when at least this many answered.
INTRANET_REPORT_MIN_GROUP = env.int("INTRANET_REPORT_MIN_GROUP", default=5)

# --- Ambassador program (advocacy) -----------------------------------------

# Capabilities each role's group starts with (data migrations grant them; a role group made
# later, e.g. in a flushed database, gets them too). Admins can grant them to other roles.
ROLE_DEFAULT_PERMISSIONS = {
    "insights_staff": ["advocacy.manage_program", "councils.manage_councils"],
    "admin": ["advocacy.manage_program", "councils.manage_councils"],
}

# Reverse proxies in front of gunicorn that append to X-Forwarded-For (1 behind one proxy):
# client addresses (allauth's rate limits, /join/ guessing, referral visitors) are read through them.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Days a council nomination's emailed link stays usable (councils.services.seats).
COUNCILS_NOMINATION_DAYS = env.int("COUNCILS_NOMINATION_DAYS", default=14)
ADVOCACY_INVITATION_DAYS = env.int("ADVOCACY_INVITATION_DAYS", default=14)
ADVOCACY_WAITLIST_OFFER_DAYS = env.int("ADVOCACY_WAITLIST_OFFER_DAYS", default=7)
# Wrong tokens tried on /join/ per client address per hour before it answers 429.
ADVOCACY_JOIN_GUESSES_PER_HOUR = env.int("ADVOCACY_JOIN_GUESSES_PER_HOUR", default=20)
# Points per activity kind (advocacy.models.Activity.Kind).
ADVOCACY_POINTS = {
    "share": env.int("ADVOCACY_POINTS_SHARE", default=5),
    "click": env.int("ADVOCACY_POINTS_CLICK", default=1),
    "conversion": env.int("ADVOCACY_POINTS_CONVERSION", default=50),
    "story": env.int("ADVOCACY_POINTS_STORY", default=30),
    "review": env.int("ADVOCACY_POINTS_REVIEW", default=10),
}
# Fraud controls: above these, clicks and conversions are held for staff review.
ADVOCACY_CLICK_FLOOD_PER_HOUR = env.int("ADVOCACY_CLICK_FLOOD_PER_HOUR", default=200)  # counted clicks per code
# One address on more than this many links of one member in a day: its further clicks are held for review.
ADVOCACY_CLICK_LINKS_PER_ADDRESS_PER_DAY = env.int("ADVOCACY_CLICK_LINKS_PER_ADDRESS_PER_DAY", default=3)
ADVOCACY_CLICK_POINTS_PER_DAY = env.int("ADVOCACY_CLICK_POINTS_PER_DAY", default=50)  # per member, held clicks too
ADVOCACY_ORDERS_PER_CUSTOMER_PER_DAY = env.int("ADVOCACY_ORDERS_PER_CUSTOMER_PER_DAY", default=3)
# Where /r/<code> sends visitors whose link belongs to no open kit.
ADVOCACY_FALLBACK_URL = env("ADVOCACY_FALLBACK_URL", default="https://www.example.com/")
# Advocate discovery ranks only mention authors with at least this many positive brand mentions.
ADVOCACY_CANDIDATE_MIN_POSITIVE = env.int("ADVOCACY_CANDIDATE_MIN_POSITIVE", default=3)
# How long its whole ranking (a scan of every brand mention) is cached; beat refreshes it every 5 minutes.
ADVOCACY_CANDIDATES_CACHE_SECONDS = env.int("ADVOCACY_CANDIDATES_CACHE_SECONDS", default=600)

# Links in emails point here when no request says where people reach Rapport (a task, a command).
# Unset, it follows PORT, on which `make run` serves (the Makefile exports it).
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")

# --- Security --------------------------------------------------------------

# Scripts and styles come only from our own static files: no inline <script>, style="…" or <style>
# anywhere (core/tests/test_csp.py checks every template), so an injected one does not run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap's and the admin's icons are data: URLs in their CSS
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Session and CSRF cookies travel over TLS only, whether or not the app redirects to it: behind a proxy
# that ends TLS they stay Secure. SECURE_COOKIES=0 is for plain HTTP on loopback (the bench), nothing else.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if not DEBUG:
    # TLS ends at a reverse proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # SECURE_SSL_REDIRECT=0 leaves redirecting to the proxy, or serves plain HTTP on loopback.
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

ADMINS = [("Rapport admins", a) for a in env.list("ADMIN_EMAILS", default=[])]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- Insights: learned sentiment (issue 15) --------------------------------------------------

# Train a new version once this many labels were set by people since the last one (and nightly, below).
INSIGHTS_SENTIMENT_RETRAIN_AFTER = env.int("INSIGHTS_SENTIMENT_RETRAIN_AFTER", default=50)
# Fewer human labels than this: no training (cross-validation on a handful says nothing).
INSIGHTS_SENTIMENT_MIN_LABELS = env.int("INSIGHTS_SENTIMENT_MIN_LABELS", default=30)
# A training reads at most this many labels (the newest).
INSIGHTS_SENTIMENT_MAX_LABELS = env.int("INSIGHTS_SENTIMENT_MAX_LABELS", default=20_000)
# POST /api/v1/sentiment/train trains in the request up to this many labels; beyond, it queues the task.
INSIGHTS_SENTIMENT_SYNC_MAX_LABELS = 10_000
# Optional (requirements-ml.txt, insights.embeddings): versions trained from now on add sentence embeddings to their
# features; about +2 points of accuracy at 100 labels, nothing at 500 (README "Learned sentiment").
INSIGHTS_SENTIMENT_EMBEDDINGS = env.bool("INSIGHTS_SENTIMENT_EMBEDDINGS", default=False)
# Each process reads the active version's id at most this often, and loads a new one when it changed.
INSIGHTS_SENTIMENT_MODEL_CHECK_SECONDS = env.int("INSIGHTS_SENTIMENT_MODEL_CHECK_SECONDS", default=5)
# The review queue re-ranks this many of the least confident unlabelled mentions (at least 4 × the page asked):
# the margin and diversity rules run in Python over the pool, never over the whole table.
INSIGHTS_REVIEW_POOL = env.int("INSIGHTS_REVIEW_POOL", default=2000)
# When near-duplicates leave the page short, larger slices are read, up to this many mentions in all.
INSIGHTS_REVIEW_POOL_MAX = env.int("INSIGHTS_REVIEW_POOL_MAX", default=20_000)
# Bulk ingest scores with the active version only when its measured throughput is at least this share of a raw VADER
# loop's; otherwise with VADER, and re-scoring catches up (issue 15: ingest keeps its speed).
INSIGHTS_SENTIMENT_INGEST_MIN_SPEED = env.float("INSIGHTS_SENTIMENT_INGEST_MIN_SPEED", default=0.3)
# Re-scoring after a version becomes active: mentions per batch (one transaction each), and how long one task runs
# before it queues its continuation (well under CELERY_TASK_SOFT_TIME_LIMIT).
INSIGHTS_SENTIMENT_RESCORE_BATCH = env.int("INSIGHTS_SENTIMENT_RESCORE_BATCH", default=2000)
INSIGHTS_SENTIMENT_RESCORE_SECONDS = env.int("INSIGHTS_SENTIMENT_RESCORE_SECONDS", default=10 * 60)
# Nightly: train on the day's corrections, however few (the threshold above triggers training during the day).
CELERY_BEAT_SCHEDULE["sentiment-nightly"] = {
    "task": "insights.tasks.sentiment_train_nightly_task",
    "schedule": crontab(hour=2, minute=41),
}
# A re-scoring whose task was lost (not merely killed: acks_late redelivers those) continues within minutes.
CELERY_BEAT_SCHEDULE["sentiment-rescore-resume"] = {
    "task": "insights.tasks.sentiment_rescore_resume_task",
    "schedule": 5 * 60,
}
