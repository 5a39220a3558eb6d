"""Settings shared by every machine; everything that differs comes from the environment.

dev.py, test.py and production.py change only what differs. Every variable read
here is listed, with a comment, in .env.example.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "learners",
    "courses",
    "quizzes",
    "certificates",
    "peers",
    # Translated courses: wagtail-localize's editor, PO export and import,
    # and its locale admin (in place of wagtail.locales).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: a repeat anonymous request for a public page is answered here
    # (circles/page_cache.py), with the headers every middleware below gave it
    # when it was kept; all other requests go on down.
    "circles.page_cache.AnonymousPageCacheMiddleware",
    # Next, so that every answer on the public API paths carries its headers.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # The Wagtail site, found once per process (circles/site_lookup.py).
    "circles.site_lookup.SiteLookupMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After a sign-in, the account's language (home/languages.py).
    "home.languages.AccountLanguageMiddleware",
    "home.middleware.SafetyHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "circles.urls"
WSGI_APPLICATION = "circles.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: embedded SQLite unless DATABASE_URL names another (PostgreSQL).
# WAL lets readers run beside a writer; IMMEDIATE transactions take the write lock
# up front, so two writers queue for `timeout` seconds instead of failing.
SQLITE_PATH = Path(env_str("SQLITE_PATH") or BASE_DIR / "db.sqlite3")
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}
if env_str("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL"),
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": SQLITE_OPTIONS,
        }
    }

# Folder of PostgreSQL's client programs (pg_dump, pg_restore) for manage.py
# backup and restore, such as /usr/lib/postgresql/15/bin; empty means PATH.
PG_BIN = env_str("PG_BIN")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: Redis when REDIS_URL is set, otherwise in-process memory.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Seconds a public page rendered for anonymous visitors is kept whole in the
# cache (circles/page_cache.py); publishing anything ends it sooner. 0 = off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14)

# Background work (PDF rendering, e-mail): in-process by default; production
# queues it in the database for `manage.py db_worker` (production.py).
TASKS_IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
TASKS_DATABASE = "django_tasks_db.DatabaseBackend"
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", TASKS_IMMEDIATE)}}
# On the queue, a task marked @retried that fails is tried again after each of
# these pauses in turn (seconds), then left failed for the admin's
# "Background tasks" page (circles/task_retries.py).
TASK_RETRY_DELAYS = [60, 5 * 60, 25 * 60]
# A task still running this many seconds after it started has lost its worker
# (killed, or its host gone): the "Background tasks" page offers to try it again.
TASK_STALLED_AFTER = env_int("TASK_STALLED_AFTER", 30 * 60)
# /healthz/ready fails when no worker has taken a task for this many seconds
# while tasks wait in the queue.
WORKER_STALE_AFTER = env_int("WORKER_STALE_AFTER", 5 * 60)

# Accounts
AUTH_USER_MODEL = "learners.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
# Not unique: a "this e-mail is taken" message would tell anyone who types a
# survivor's address that they have an account here.
ACCOUNT_UNIQUE_EMAIL = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_SESSION_REMEMBER = False
# Subjects stay neutral ("Your Circles update"): a shared inbox reveals nothing.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SIGNUP_FORM_CLASS = "learners.forms.SignupForm"
ACCOUNT_ADAPTER = "learners.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # Five failed logins for one username from one address in five minutes, or
    # ten from one address in a minute, and that address is refused (429) for a
    # while. The username is counted per address (see learners/adapter.py), so
    # guessing from elsewhere never locks a learner out of their own account.
    "login_failed": "10/m/ip,5/300s/key",
}
# Behind a load balancer: the header carrying the client's address (e.g.
# X-Real-IP), so every limit counts per client, not per balancer.
TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER")
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = TRUSTED_CLIENT_IP_HEADER or None
# Wrong page and document passwords per client address ("count/period").
PAGE_PASSWORD_RATE = env_str("PAGE_PASSWORD_RATE", "10/10m")
# Seconds a "please wait" page asks for when a limit has no exact end.
TOO_MANY_TRIES_WAIT = 300
ACCOUNT_USERNAME_BLACKLIST = ["admin", "trainer", "circles", "support"]

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Circles <no-reply@localhost>")

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Languages: the interface and the courses are translated. Arabic is read
# right to left (base.html sets dir="rtl" and Bootstrap's RTL stylesheet).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["circles.formats"]
LANGUAGE_COOKIE_NAME = "circles_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files: our own and Bootstrap from node_modules, served by WhiteNoise.
STATIC_URL = "/static/"
# A variable set but empty (`MEDIA_ROOT=`) means the default, never the
# current folder.
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    PROJECT_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Serve MEDIA_ROOT from Django outside DEBUG (a small single-host site only).
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Files that must never be public (certificate PDFs): outside MEDIA_ROOT, no URL.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT") or BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 60 * 60  # unhashed names only; hashed names are immutable

# Object storage (S3 or compatible, through django-storages) when buckets are
# named: S3_MEDIA_BUCKET for uploaded images and documents, S3_PRIVATE_BUCKET
# for certificate PDFs and data exports (private ACL, no URLs: Circles serves
# them). Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
S3_MEDIA_BUCKET = env_str("S3_MEDIA_BUCKET")
S3_PRIVATE_BUCKET = env_str("S3_PRIVATE_BUCKET")
AWS_S3_ENDPOINT_URL = env_str("S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
AWS_S3_CUSTOM_DOMAIN = env_str("S3_MEDIA_DOMAIN") or None
AWS_DEFAULT_ACL = None
AWS_S3_FILE_OVERWRITE = False
AWS_S3_SIGNATURE_VERSION = "s3v4"
# Media links are signed and short-lived unless the bucket is public for reading.
AWS_QUERYSTRING_AUTH = not env_bool("S3_MEDIA_PUBLIC", False)
AWS_QUERYSTRING_EXPIRE = env_int("S3_SIGNED_URL_SECONDS", 60 * 60)
if S3_MEDIA_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": S3_MEDIA_BUCKET},
    }
    # Documents stream through Circles, so page privacy still applies to them.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Circles"
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    *["pdf", "docx", "odt", "txt", "rtf", "pptx", "xlsx", "csv"],
    *["mp4", "webm", "mp3", "m4a", "ogg", "vtt"],  # lesson video, audio, captions
]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "home.forms.NeutralDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "home.forms.NeutralImageForm"
WAGTAILDOCS_INLINE_CONTENT_TYPES = [
    "application/pdf",
    "text/plain",
    "text/vtt",
    "video/mp4",
    "video/webm",
    "audio/mpeg",
    "audio/mp4",
    "audio/ogg",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
# Pages have a copy per language (wagtail-localize); learners' progress
# belongs to the original course (courses/locales.py). No language in URLs:
# Wagtail serves the tree of the active language at the same paths.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Password-protected pages and documents keep the safety frame.
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "password_required.html"  # noqa: S105 - a template
WAGTAILDOCS_PASSWORD_REQUIRED_TEMPLATE = "password_required.html"  # noqa: S105

# Circles
SITE_URL = WAGTAILADMIN_BASE_URL
# Where the quick exit sends someone: an ordinary, unremarkable page.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
# A practice circle closed this many days is deleted with everything in it
# (manage.py delete_closed_circles); trainers are e-mailed the warning this
# many days before, and a circle is never deleted sooner after the warning.
PEERS_CLOSED_CIRCLE_DAYS = env_int("PEERS_CLOSED_CIRCLE_DAYS", 90)
PEERS_DELETION_WARNING_DAYS = env_int("PEERS_DELETION_WARNING_DAYS", 14)

# Logs carry no personal data: no usernames, no IP addresses, no query strings,
# no e-mail addresses, printed names or certificate codes (circles/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "filters": {"without_personal_data": {"()": "circles.logs.WithoutPersonalData"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["without_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # The request logger echoes full paths; our URLs hold no personal data,
        # but keep it to warnings so query strings are not written at INFO.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": env_str("SERVER_LOG_LEVEL", "INFO")},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Certificates
# The organisation named on certificates and in their Open Badges credentials.
ISSUER_NAME = env_str("ISSUER_NAME", "Circles")
# The site's Ed25519 signing key, as a PEM file's path or as the PEM text itself.
# Production refuses to issue (and `manage.py check` fails) without one of them;
# development (DEBUG, or SIGNING_KEY_CREATE) creates SIGNING_KEY_DEV_FILE instead.
SIGNING_KEY_FILE = env_str("SIGNING_KEY_FILE")
SIGNING_KEY_PEM = env_str("SIGNING_KEY_PEM")
SIGNING_KEY_CREATE = env_bool("SIGNING_KEY_CREATE", False)
SIGNING_KEY_DEV_FILE = BASE_DIR / "var" / "signing-key.pem"
# Checks per client address ("count/period", period s, m, h or d) on the verify
# page, the JSON API and the upload check. Refused checks get a 429.
CERTIFICATE_VERIFY_RATE = env_str("CERTIFICATE_VERIFY_RATE", "30/m")
CERTIFICATE_API_RATE = env_str("CERTIFICATE_API_RATE", "60/m")
CERTIFICATE_UPLOAD_RATE = env_str("CERTIFICATE_UPLOAD_RATE", "10/m")
# The public API, credentials, the DID and the status list are open to
# verifiers in any browser: GET only, no cookies. Nothing else is.
CORS_URLS_REGEX = r"^/(api/.*|\.well-known/did\.json|status/\d+)$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "content-type"]
CORS_PREFLIGHT_MAX_AGE = 60 * 60 * 24
CERTIFICATE_UPLOAD_MAX_BYTES = env_int("CERTIFICATE_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# Changes of the printed name that replace certificates, per learner: in any
# 24 hours, and ever. Past them the learner is asked to see their trainer.
CERTIFICATE_NAME_CHANGES_PER_DAY = env_int("CERTIFICATE_NAME_CHANGES_PER_DAY", 3)
CERTIFICATE_NAME_CHANGES_TOTAL = env_int("CERTIFICATE_NAME_CHANGES_TOTAL", 10)
# Behind a proxy, where the client's address is: a request.META key such as
# HTTP_X_REAL_IP set by your proxy. Empty means the key of
# TRUSTED_CLIENT_IP_HEADER, so logins and every other limit read the same
# header, or REMOTE_ADDR without one.
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY") or (
    "HTTP_" + TRUSTED_CLIENT_IP_HEADER.upper().replace("-", "_")
    if TRUSTED_CLIENT_IP_HEADER
    else None
)
# Rate limits on (the default). The benchmark alone switches them off, so it
# measures the verify API rather than its refusals; never do so on a live site.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# WeasyPrint narrates every rendering step at INFO; keep the logs to problems.
LOGGING["loggers"].update(
    {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}}
)
