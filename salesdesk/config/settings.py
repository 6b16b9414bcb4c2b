"""Django settings for salesdesk, all from environment variables (see docs/configuration.md)."""

from pathlib import Path

from cryptography.fernet import Fernet
from django.utils.translation import gettext_lazy as _

from salesdesk.config import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env.data_dir()

DEBUG = env.env_bool("SALESDESK_DEBUG", False)
SECRET_KEY = env.secret("SALESDESK_SECRET_KEY", DATA_DIR / "secret_key", env.new_secret_key)
ALLOWED_HOSTS = env.env_list("SALESDESK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.env_list("SALESDESK_CSRF_TRUSTED_ORIGINS", [])
BASE_URL = env.env_str("SALESDESK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Field encryption (C3.2): a list of Fernet keys, newest first; old keys still decrypt.
FIELD_ENCRYPTION_KEYS_FILE = DATA_DIR / "field_keys"
FIELD_ENCRYPTION_KEYS = (
    env.secret(
        "SALESDESK_FIELD_KEYS",
        FIELD_ENCRYPTION_KEYS_FILE,
        lambda: Fernet.generate_key().decode(),
    )
    .replace(",", "\n")
    .split()
)
FIELD_ENCRYPTION_KEYS_FROM_ENV = env._raw("SALESDESK_FIELD_KEYS") is not None
# The keyed hash behind exact search on encrypted fields; never rotated with the keys above.
FIELD_HASH_KEY = env.secret("SALESDESK_HASH_KEY", DATA_DIR / "hash_key", env.new_secret_key)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "salesdesk.core",
    "salesdesk.accounts",
    "salesdesk.audit",
    "salesdesk.notifications",
    "salesdesk.workqueue",
    "salesdesk.customers",
    "salesdesk.imports",
    "salesdesk.catalog",
    "salesdesk.orders",
    "salesdesk.workorders",
    "salesdesk.contracts",
    "salesdesk.shipping",
    "salesdesk.finance",
    "salesdesk.analytics",
    "salesdesk.reports",
    "salesdesk.supervision",
    "salesdesk.risk",
    "salesdesk.monitoring",
    "salesdesk.backups",
    "salesdesk.training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "salesdesk.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "salesdesk.core.middleware.PolicyCacheMiddleware",
    "salesdesk.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "salesdesk.config.urls"
WSGI_APPLICATION = "salesdesk.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "salesdesk.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.database(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workqueue:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env.env_int("SALESDESK_LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = env.env_int("SALESDESK_LOGIN_COOLOFF_MINUTES", 15, minimum=1, maximum=1440) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

SECURE_HTTPS = env.env_bool("SALESDESK_HTTPS", False)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.env_int("SALESDESK_SESSION_HOURS", 12, minimum=1, maximum=720) * 3600
CSRF_COOKIE_HTTPONLY = False  # HTMX reads it to send X-CSRFToken
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LANGUAGE_CODE = env.env_choice("SALESDESK_LANGUAGE", "zh-hant", {"zh-hant", "zh-hans", "en"})
LANGUAGES = [
    ("zh-hant", _("Traditional Chinese")),
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "salesdesk_language"
TIME_ZONE = env.env_str("SALESDESK_TIME_ZONE", "Asia/Shanghai")
CURRENCY = env.env_currency("SALESDESK_CURRENCY", "CNY")  # money.py (U3)
COMPANY_NAME = env.env_str("SALESDESK_COMPANY_NAME", "salesdesk")  # PDF headers (core/pdf.py)
PDF_FONT = env.env_str("SALESDESK_PDF_FONT", "")  # a .ttf/.ttc to embed (decision 0008)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "salesdesk.analytics.charts.PlotlyFinder",  # plotly.js from the pip package (A2.1)
]
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

SMTP_HOST = env._raw("SALESDESK_SMTP_HOST")
if SMTP_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = SMTP_HOST
    EMAIL_PORT = env.env_int("SALESDESK_SMTP_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env.env_str("SALESDESK_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = env.env_str("SALESDESK_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env.env_bool("SALESDESK_SMTP_TLS", True)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = env.env_str("SALESDESK_MAIL_FROM", "salesdesk@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.env_str("SALESDESK_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
