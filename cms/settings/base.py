"""Settings shared by every environment.

Every value that differs between machines is read from the environment here,
in the header below, and nowhere else; `.env.example` lists each variable with
a comment. With no environment at all the project runs on its embedded
default: SQLite, media on local disk, Wagtail's database search backend and
tasks run in-process.
"""

import datetime
import tempfile
import warnings
from pathlib import Path

import environ

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from cms.observability.error_reporting import start as start_error_reporting

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

# --- The environment, read in one place ------------------------------------

env = environ.Env()
# `.env` fills in variables the process environment does not set. ENV_FILE
# names another file, or none when empty (the boot tests use that so that a
# developer's .env cannot leak into them).
_env_file = environ.Env().str("ENV_FILE", default=str(BASE_DIR / ".env"))
if _env_file and Path(_env_file).is_file():
    environ.Env.read_env(_env_file)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASE_CONN_MAX_AGE = env.int("DATABASE_CONN_MAX_AGE", default=0)
# Seconds to wait for PostgreSQL to accept a connection; milliseconds a statement may run (0: no limit).
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
DATABASE_STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", default=0)

AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="") or None
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="") or None
AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=300)

_GB = 1024**3
LIBRARY_MAX_VIDEO_SIZE = env.int("LIBRARY_MAX_VIDEO_SIZE", default=20 * _GB)
LIBRARY_MAX_DOCUMENT_SIZE = env.int("LIBRARY_MAX_DOCUMENT_SIZE", default=200 * 1024**2)
LIBRARY_MAX_TRACK_SIZE = env.int("LIBRARY_MAX_TRACK_SIZE", default=2 * 1024**2)
LIBRARY_MAX_CONSENT_SIZE = env.int("LIBRARY_MAX_CONSENT_SIZE", default=50 * 1024**2)
LIBRARY_MAX_CATALOGUE_SIZE = env.int("LIBRARY_MAX_CATALOGUE_SIZE", default=10 * 1024**2)
# A running video job stamps its row every LIBRARY_PROCESSING_HEARTBEAT_SECONDS; one whose stamp is older than
# LIBRARY_STALE_PROCESSING_SECONDS belonged to a dead worker and is queued again.
LIBRARY_PROCESSING_HEARTBEAT_SECONDS = env.float("LIBRARY_PROCESSING_HEARTBEAT_SECONDS", default=30.0)
LIBRARY_STALE_PROCESSING_SECONDS = env.float("LIBRARY_STALE_PROCESSING_SECONDS", default=180.0)
# Where processing jobs copy masters and write renditions, and how much of the disk they may fill together.
LIBRARY_SCRATCH_DIR = Path(
    env.str("LIBRARY_SCRATCH_DIR", default=str(Path(tempfile.gettempdir()) / "passeurs-scratch"))
)
LIBRARY_SCRATCH_MAX_BYTES = env.int("LIBRARY_SCRATCH_MAX_BYTES", default=50 * _GB)
LIBRARY_ABANDONED_UPLOAD_HOURS = env.int("LIBRARY_ABANDONED_UPLOAD_HOURS", default=48)
# Days a consent's scans and free text are kept after it expired or was withdrawn (docs/privacy.md):
# five years, the limitation period of a civil action over the films' use (article 2224 of the Code civil).
CONSENT_RETENTION_DAYS = env.int("CONSENT_RETENTION_DAYS", default=5 * 365 + 1)

MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "static")))

REDIS_URL = env.str("REDIS_URL", default="")
# Seconds to wait for Redis to connect or answer, and to skip it after an error.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.25)
REDIS_RETRY_SECONDS = env.float("REDIS_RETRY_SECONDS", default=5.0)
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
SEARCH_BACKEND_URL = env.str("SEARCH_BACKEND_URL", default="")

CONTENT_LANGUAGES = env.list("CONTENT_LANGUAGES", default=["fr", "en"])
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
PUBLIC_SITE_URL = env.str("PUBLIC_SITE_URL", default="")
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
FRONTEND_CACHE_PURGE_URL = env.str("FRONTEND_CACHE_PURGE_URL", default="")
API_CACHE_MAX_AGE = env.int("API_CACHE_MAX_AGE", default=60)
API_CACHE_STALE = env.int("API_CACHE_STALE", default=300)
API_CACHE_TIMEOUT = env.int("API_CACHE_TIMEOUT", default=600)
LIBRARY_API_REQUESTS_PER_MINUTE = env.int("LIBRARY_API_REQUESTS_PER_MINUTE", default=600)
EMBED_FRAME_ANCESTORS = env.str("EMBED_FRAME_ANCESTORS", default="*")

# Login lockout, password-reset throttling and the client address they count (cms/security).
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
PASSWORD_RESET_LIMIT = env.int("PASSWORD_RESET_LIMIT", default=5)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="X-Forwarded-For")
# Webhook endpoints may use plain http:// (https:// only by default; cms/webhooks/addresses.py).
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=False)

# --- Applications ------------------------------------------------------------

INSTALLED_APPS = [
    "cms",
    "home",
    "library",
    "search",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "cms.webhooks",
    "wagtail.contrib.settings",
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
    "rest_framework",
    "ninja",
    "corsheaders",
    "storages",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
    # Partner accounts (cms/partner_accounts): allauth's headless API only, no allauth pages.
    "allauth",
    "allauth.account",
    "allauth.headless",
]

MIDDLEWARE = [
    # First: the request id and the one log line per request (cms/observability/request_log.py).
    "cms.observability.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (per surface, cms/security/headers.py) and Permissions-Policy.
    "cms.security.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.caching.APICacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Admin views taking a page id, and admin page titles, follow what the editor may see (library.access.admin_visibility).
    "library.admin.page_guard.AdminPageGuardMiddleware",
    # A request an admin view cannot serve as sent (a missing field, deleting an item in use): 400/409, not 500.
    "library.admin.bad_request.AdminBadRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes requires: turns a lock-out flagged during the request into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------

_SUPPORTED_DATABASE_ENGINES = ("django.db.backends.postgresql", "django.db.backends.sqlite3")
try:
    with warnings.catch_warnings():
        # django-environ only warns about an unknown scheme; the check below says which variable is wrong.
        warnings.simplefilter("ignore")
        DATABASES = {"default": env.db_url_config(DATABASE_URL)}
except (ImproperlyConfigured, KeyError, ValueError) as error:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a valid database URL ({error}); expected e.g. postgres://user:password@host:5432/name"
    ) from None
if DATABASES["default"].get("ENGINE") not in _SUPPORTED_DATABASE_ENGINES:
    raise ImproperlyConfigured(
        "DATABASE_URL must start with postgres:// (production) or sqlite:/// (embedded default); "
        "e.g. postgres://user:password@host:5432/name"
    )
DATABASES["default"]["CONN_MAX_AGE"] = DATABASE_CONN_MAX_AGE
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails the request in seconds (a 503, cms/unavailable.py)
    # instead of holding the worker until it is killed.
    _database_options = DATABASES["default"].setdefault("OPTIONS", {})
    _database_options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    if DATABASE_STATEMENT_TIMEOUT:
        _database_options["options"] = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Media and static files ----------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"

if AWS_STORAGE_BUCKET_NAME:
    # Every object is private: no ACL is sent, URLs are signed and expire after
    # AWS_QUERYSTRING_EXPIRE seconds. The botocore client settings that
    # S3-compatible services accept belong to the storage class
    # (`cms.storage.s3_client_config`), so a site on local disk never loads botocore.
    _s3_options = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": AWS_S3_ENDPOINT_URL,
        "region_name": AWS_S3_REGION_NAME,
        "access_key": AWS_ACCESS_KEY_ID,
        "secret_key": AWS_SECRET_ACCESS_KEY,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": AWS_QUERYSTRING_EXPIRE,
        "file_overwrite": False,
    }
    STORAGES = {
        "default": {"BACKEND": "cms.storage.MediaS3Storage", "OPTIONS": {**_s3_options, "location": "media"}},
        "private": {"BACKEND": "cms.storage.MediaS3Storage", "OPTIONS": {**_s3_options, "location": "private"}},
    }
else:
    STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
        },
        # Files that no URL may serve directly (masters, consent forms): kept
        # outside MEDIA_ROOT so the development server cannot expose them.
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/private-media-is-not-served/"},
        },
    }
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Wagtail's own setting names for django-storages, kept in sync so that code
# reading them (and boto3 clients built by the project) agree with STORAGES.
AWS_S3_SIGNATURE_VERSION = "s3v4"
AWS_S3_FILE_OVERWRITE = False
AWS_DEFAULT_ACL = None

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Largest file accepted per kind of asset, in bytes (see library/uploads).
LIBRARY_MAX_UPLOAD_SIZE = {
    "video": LIBRARY_MAX_VIDEO_SIZE,
    "document": LIBRARY_MAX_DOCUMENT_SIZE,
    "track": LIBRARY_MAX_TRACK_SIZE,
    "consent": LIBRARY_MAX_CONSENT_SIZE,
    "catalogue": LIBRARY_MAX_CATALOGUE_SIZE,
}
WAGTAILDOCS_MAX_UPLOAD_SIZE = LIBRARY_MAX_DOCUMENT_SIZE
# Guide PDFs are checked by content (signature, JavaScript, launch actions) on every upload screen.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "library.admin.documents.GuideDocumentForm"
# Image and document forms refuse, with an error, a collection the editor does not hold.
WAGTAILIMAGES_IMAGE_FORM_BASE = "library.admin.images.LibraryImageForm"

# --- Cache and tasks -------------------------------------------------------------

if REDIS_URL:
    CACHES = {
        "default": {
            # Skipped for REDIS_RETRY_SECONDS after an error, one warning per outage (cms/resilient_cache.py).
            "BACKEND": "cms.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT,
                "RETRY_SECONDS": REDIS_RETRY_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# --- Languages -------------------------------------------------------------------

# Named in the admin's language (« Anglais » in the French admin): editors read them in listings and filters.
_KNOWN_LANGUAGES = {
    "fr": gettext_lazy("French"),
    "en": gettext_lazy("English"),
    "de": gettext_lazy("German"),
    "es": gettext_lazy("Spanish"),
    "it": gettext_lazy("Italian"),
}
if not CONTENT_LANGUAGES or CONTENT_LANGUAGES[0] != "fr":
    raise ImproperlyConfigured("CONTENT_LANGUAGES must start with fr, the default content language")
_unknown = [code for code in CONTENT_LANGUAGES if code not in _KNOWN_LANGUAGES]
if _unknown:
    raise ImproperlyConfigured(f"CONTENT_LANGUAGES has unknown codes: {', '.join(_unknown)}")

LANGUAGE_CODE = "fr"
LANGUAGES = [(code, _KNOWN_LANGUAGES[code]) for code in CONTENT_LANGUAGES]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_TZ = True
FORMAT_MODULE_PATH = ["cms.formats"]

# --- Wagtail -------------------------------------------------------------------
# The admin's date pickers write dates as the network does (15/11/2031); every admin language reads that form.
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

WAGTAIL_SITE_NAME = "Passeurs d'images"
# The CMS's public address in absolute URLs (APIs, embed player, oEmbed); never the request's Host header.
WAGTAILAPI_BASE_URL = env.str("WAGTAILAPI_BASE_URL", default="") or WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
# CDN purge on publish (cms.caching): an HTTP PURGE endpoint such as Varnish's; see docs/caching.md.
if FRONTEND_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Documents are downloaded, never shown inline on the site's origin: file answers
# are sandboxed (cms.security.headers.FILE_POLICY), and a sandboxed document may
# run no plugin, which Chromium's PDF viewer is.
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# On PostgreSQL, French stemming with accents folded (configuration created by
# the search app's migrations; ignored by the SQLite backend). The public API
# searches the search app's own index, with per-language rules (docs/search.md).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "french_unaccent"}
}
if SEARCH_BACKEND_URL:
    WAGTAILSEARCH_BACKENDS["default"] = {
        "BACKEND": "wagtail.search.backends.elasticsearch8",
        "URLS": [SEARCH_BACKEND_URL],
        "INDEX": "passeurs",
    }

# The public site is a separate front end; rich text links point at its paths.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
# Wagtail's v2 API is a Django-session surface (the admin's, the partner space's), else anonymous. No HTTP Basic
# (DRF's default), which would take passwords on every request, unthrottled and outside the login lockout;
# partner portals use bearer tokens on v3. Authenticated answers are kept private by `cms.caching`.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}

# --- Security shared by every environment ----------------------------------------

CORS_URLS_REGEX = r"^/api/.*$"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Login lockout (django-axes) -------------------------------------------------

# Every authenticate() call, the admin's login and any later one, is checked by
# axes first: an account, or a client address, with LOGIN_FAILURE_LIMIT failures
# is refused for LOGIN_COOLOFF_MINUTES after its last counted failure. Attempts
# while locked do not start the wait again: otherwise anyone knowing an editor's
# user name could keep that account locked with one request every few minutes.
# A success does not wipe the failures counted:
# with lockout per address, logging into an account of one's own would otherwise
# reset the count against every other account tried from that address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Partner log-ins by e-mail (allauth), partner accounts only; the admin's log-in by user name never reaches it.
    "cms.partner_accounts.backends.PartnerEmailBackend",
]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "cms.partner_accounts.lockout.partner_lockout_response"
# Partner log-ins send an e-mail, not a user name: both count (cms/partner_accounts/lockout.py).
AXES_USERNAME_CALLABLE = "cms.partner_accounts.lockout.attempted_username"
AXES_ENABLE_ADMIN = False  # Django's admin site is not mounted

# --- Partner accounts (django-allauth headless; cms/partner_accounts, docs/api.md) ------------

# The partner space is an "app" client of `/_allauth/app/v1/`: it sends the session token as
# `X-Session-Token`, so no cookie and no CSRF token. No allauth page is served (HEADLESS_ONLY); the
# admin's log-in stays Wagtail's own. Links in e-mails open the partner space of the public site.
HEADLESS_ONLY = True
HEADLESS_CLIENTS = ("app",)
_PARTNER_SPACE = (PUBLIC_SITE_URL or "http://127.0.0.1:3000").rstrip("/") + "/espace-partenaires"
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": _PARTNER_SPACE + "/verifier-email/{key}",
    "account_reset_password": _PARTNER_SPACE + "/mot-de-passe/oublie",
    "account_reset_password_from_key": _PARTNER_SPACE + "/mot-de-passe/nouveau/{key}",
    "account_signup": _PARTNER_SPACE + "/connexion",
}
ACCOUNT_ADAPTER = "cms.partner_accounts.adapter.PartnerAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
# No "you have no account" mail to any address typed into the reset form.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Passeurs d'images] "
# Failed log-ins are counted by django-axes (one count with the admin's, 429 when locked), not twice.
# allauth's other limits (reset mails, verification mails) stay, counted on the same client address.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Passeurs d'images <ne-pas-repondre@example.org>")
# How those mails leave: e.g. smtp+tls://user:password@smtp.example.org:587 (dev.py prints them on the console).
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    globals().update(env.email_url_config(EMAIL_URL))

# --- Browser security headers (django-csp; cms/security/headers.py) ----------------

# The admin's policy, and the default of every answer: nothing but the site
# itself (plus, added per request, the media origins). Checked in Chromium
# (tests/cms/security/test_csp_browser.py): Wagtail 8's admin needs no style
# attribute, but its chooser and date widgets initialise with inline scripts
# (`<script>new SnippetChooser(...)</script>` from BaseChooser.render and the
# date_input templates), hence 'unsafe-inline' for scripts; never 'unsafe-eval'.
# Style elements need 'unsafe-inline' too: wagtail-localize's translation editor
# (styled-components) and the rich-text editor's bundle insert `<style>`
# elements at run time, and their compiled bundles take no nonce. Only
# `style-src-elem` gets it; style attributes stay refused (`style-src`), and
# since images, fonts and requests go to the site and the media origins only,
# injected CSS has nowhere to send what it reads.
# The embed player and the API docs get stricter policies (no inline script);
# the player alone may be framed by other sites.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The admin calls no third party: no Gravatar (editors' e-mail hashes) and no
# release check from the browser (versions are pinned in requirements.txt).
# Wagtail's login form leaves its password field unlabelled, so it reads "Password" in French too.
WAGTAILADMIN_USER_LOGIN_FORM = "cms.security.login_form.LabelledLoginForm"
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Webhooks ----------------------------------------------------------------------

# Networks webhooks may reach although they are not public: for the test suite's
# loopback receivers only, hence never read from the environment.
WEBHOOKS_ALLOWED_NETWORKS_FOR_TESTS = []

# One line per request on cms.requests, every line with the request id (cms/observability/request_log.py);
# LOG_FORMAT=json for a log collector (the default without DEBUG), text for a console.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cms.observability.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "cms.observability.json_format.JSONFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own access line (runserver) says the same as cms.requests.
        "django.server": {"level": "WARNING"},
        # One line per task state change and per page action is noise on a console.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "wagtail_localize": {"level": "WARNING"},
        # django-axes says INFO for every failed login; its WARNING lines (new failures, lock-outs) stay.
        "axes": {"level": "WARNING"},
    },
}

# Error reports (off without a DSN): no personal data, no credentials (cms/observability/error_reporting.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
start_error_reporting(SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default="production"))

WAGTAILIMAGES_IMAGE_MODEL = "library.LibraryImage"
WAGTAILDOCS_DOCUMENT_MODEL = "library.GuideDocument"
