"""Convene settings: one file, driven by environment variables, safe when a variable is missing.

The environment decides how trusting we are. ``production`` is the default so that a forgotten
variable never loosens security; ``development`` (make demo) and ``test`` (make test) must be asked
for by name.
"""

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = env_str("CONVENE_ENVIRONMENT", "production")
if ENVIRONMENT not in {"production", "development", "test"}:
    raise ImproperlyConfigured("CONVENE_ENVIRONMENT must be production, development or test")
IS_PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", False)
if DEBUG and IS_PRODUCTION:
    raise ImproperlyConfigured("DJANGO_DEBUG cannot be switched on in production")

# Demo mode loads invented people and relaxes nothing that production relies on; it exists only
# outside production, so a production deployment cannot be put into it by a stray variable.
DEMO_MODE = env_bool("CONVENE_DEMO", False)
if DEMO_MODE and IS_PRODUCTION:
    raise ImproperlyConfigured("CONVENE_DEMO cannot be switched on in production")


def _secret_key() -> str:
    """The key from the environment; outside production, a generated key kept in .secret_key."""
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    if IS_PRODUCTION:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: production never uses a generated key")
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    "pgtrigger",
    "pghistory",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "csp",
    "accounts",
    "conferences",
    "advocacy",
    "complaints",
    "reporting",
    "notifications",
    "statutory",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.public.SignInRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "accounts.middleware.NoStoreForSignedInMiddleware",
    # Writes the access log for the children a successful page showed
    # (conferences/cases/access_log.py).
    "conferences.cases.access_log.RecordAccessMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so it sees the failed sign-in that the views below it report, and answers with the
    # lockout page.
    "axes.middleware.AxesMiddleware",
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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/convene"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL's JIT compiles every costly query afresh; the dashboard's queries are many, short
# and different, so compiling costs more than it saves (measured: about 20% of the dashboard).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Deployed, the web server, worker and beat connect (DATABASE_URL) as this role, which owns
# nothing and may only read and write rows; `migrate` connects as the tables' owner and then
# grants this role exactly that (config/database_roles.py). The default URL above, a local
# superuser, is for development and tests only.
DATABASE_APP_ROLE = env_str("DATABASE_APP_ROLE", "convene_app")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: staff accounts are made by administrators, never by sign-up; sign in with email.
ACCOUNT_ADAPTER = "accounts.adapters.StaffAccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.SignInForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins are counted, and accounts locked, by django-axes, and wrong second-factor
    # codes by accounts/lockout.py (both below), not here: allauth's limit shares one count
    # between the two steps and records nothing.
    "login_failed": None,
    # Tests sign in hundreds of times a minute from one address.
    "login": env_str(
        "CONVENE_SIGN_IN_RATE_LIMIT", "1000/m/ip" if ENVIRONMENT == "test" else "30/m/ip"
    ),
}

# Second factor: an authenticator app (TOTP) with recovery codes, for every account. Only demo
# mode may relax it, and only when asked (CONVENE_DEMO_SKIP_MFA).
MFA_ADAPTER = "accounts.adapters.StaffMFAAdapter"
MFA_FORMS = {
    "authenticate": "accounts.forms.SignInCodeForm",
    "reauthenticate": "accounts.forms.ConfirmCodeForm",
    "activate_totp": "accounts.forms.SetUpCodeForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("CONVENE_MFA_ISSUER", "Convene")
MFA_RECOVERY_CODE_COUNT = 10
# Administrators create accounts for work addresses; allauth's email verification is not used.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_REQUIRED = not (DEMO_MODE and env_bool("CONVENE_DEMO_SKIP_MFA", False))


def _generated_once(path: Path, value: str) -> str:
    """The value kept in the file, which is written with this one if there is none yet. The
    file appears whole or not at all, so processes starting together all read the same value."""
    if not path.exists():
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        draft.write_text(value)
        draft.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path.read_text().strip()


def _mfa_keys() -> list[str]:
    """Keys that encrypt authenticator secrets in the database (accounts/mfa_secrets.py), newest
    first: new secrets use the first, and any of them decrypts. Outside production, one generated
    key kept in .mfa_keys."""
    keys = env_list("CONVENE_MFA_KEYS", [])
    if not keys:
        if IS_PRODUCTION:
            raise ImproperlyConfigured("Set CONVENE_MFA_KEYS: production never generates keys")
        keys = [_generated_once(BASE_DIR / ".mfa_keys", Fernet.generate_key().decode())]
    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            # The message names no key: a mistyped one may be nearly the real one.
            raise ImproperlyConfigured(
                "CONVENE_MFA_KEYS must be Fernet keys separated by commas, newest first: make one"
                " with `python -c 'from cryptography.fernet import Fernet;"
                " print(Fernet.generate_key().decode())'`"
            ) from None
    return keys


CONVENE_MFA_KEYS = _mfa_keys()

# Brute force (accounts/lockout.py). Passwords: after this many failed sign-ins to an account from
# one address, that address is locked out of that account for a period; administrators can unlock
# it sooner. Locked per account *and* address, so that someone guessing a colleague's password
# cannot lock the colleague out at their own desk.
AXES_FAILURE_LIMIT = env_int("CONVENE_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CONVENE_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Guessing from many addresses: once this many failures (each address counted up to its lock) are
# made on one account within the lockout period, the account takes one attempt at a time, this
# many seconds apart, from whichever address.
CONVENE_SLOW_SIGN_IN_AFTER = env_int("CONVENE_SLOW_SIGN_IN_AFTER", 20)
CONVENE_SLOW_SIGN_IN_SECONDS = env_int("CONVENE_SLOW_SIGN_IN_SECONDS", 60)
# Second-factor codes: CONVENE_LOCKOUT_FAILURES wrong codes (authenticator or recovery) lock the
# account from every address for CONVENE_LOCKOUT_MINUTES (whoever types them knows the password);
# and one address may enter at most this many wrong codes, for any accounts, in that period.
CONVENE_SECOND_FACTOR_ADDRESS_LIMIT = env_int("CONVENE_SECOND_FACTOR_ADDRESS_LIMIT", 20)
AXES_USERNAME_CALLABLE = "accounts.lockout.username_for_attempt"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_VERBOSE = False  # axes would log usernames and addresses: no personal data in logs
AXES_ENABLE_ADMIN = False
AXES_HTTP_RESPONSE_CODE = 429

# Sessions: signed out after a period without activity, and after a fixed time whatever happens.
# The browser warns two minutes before the idle limit (static/src/session-timeout.mjs).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("CONVENE_IDLE_TIMEOUT_MINUTES", 30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("CONVENE_ABSOLUTE_TIMEOUT_HOURS", 10))
SESSION_TIMEOUT_WARNING = timedelta(minutes=2)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
USERSESSIONS_TRACK_ACTIVITY = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static" / "build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "config.storage.ConveneStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Files prepared by the worker for one user to download (reporting/prepared): never served as
# static media, only through the view that checks who asked. The web server and the worker must
# share this directory (docker-compose.yml mounts one volume in both). Tests use a directory of
# their own, emptied at the end, so runs never leave statutory returns behind.
MEDIA_ROOT = env_str("CONVENE_FILES_DIR", str(BASE_DIR / "var" / "files"))
PREPARED_EXPORTS_KEPT = timedelta(hours=env_int("CONVENE_PREPARED_EXPORT_HOURS", 24))

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Audit: history rows may be added, never changed or removed.
PGHISTORY_APPEND_ONLY = True

# Celery on Redis. Tasks are acknowledged after they finish so a worker crash loses nothing.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "convene")
CELERY_TIMEZONE = TIME_ZONE
CELERY_RESULT_EXPIRES = 3600
# A worker child that has grown past this (KiB) is replaced after its task: a large PDF render
# cannot slowly eat the machine. Each task has its own time limits (reporting/tasks.py).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 600_000

# The cache holds rate-limit counters, so it must be shared by every web process: Redis. Tests use
# one in-process cache each, so parallel test processes do not count each other's sign-ins.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if ENVIRONMENT == "test"
        else {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    )
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
# Child protection timescales (national guidance and the local procedures in the reference
# report); local procedures vary, so they live here rather than in the code.
CONVENE_TIMESCALES = {
    "initial_working_days": 15,  # after the strategy discussion
    "receiving_in_working_days": 15,  # after the other authority's notification
    "reconvened_working_days": 10,  # after the inquorate initial conference
    "first_review_months": 3,  # after the initial conference
    "review_months": 6,  # after the previous review
    "pre_birth_review_working_days_after_birth": 10,  # or 3 months, whichever is sooner
    "first_core_group_working_days": 10,
    "core_group_interval_working_days": 30,  # about six weeks between later core groups
    "decision_letter_working_days": 1,  # after the conference
    "record_distribution_working_days": 15,
    "report_to_family_initial": 2,  # working days before the conference
    "report_to_chair_initial": 1,
    "report_to_family_review": 3,
    "report_to_chair_review": 3,
    "police_notice_days": 7,  # calendar days between invitation and conference
    "quorum_other_agencies": 2,  # besides children's social care, attending in person or online
    "review_horizon_weeks": 6,  # reviews due this soon with no booking show in the clerk's tray
}

# Chasing (conferences/sweeps.py): when each sweep runs and whom it writes to.
CONVENE_CHASING = {
    "max_age_days": env_int("CONVENE_CHASE_MAX_AGE_DAYS", 14),  # never chase older due dates
    "report_reminder_working_days": 2,  # remind the social worker this long before it is due
    "invitations_working_days": 5,  # chase unsent invitations this long before the conference
    "outcome_working_days": 1,  # the record is due signed off this long after the conference
}
CONVENE_SWEEP_TIMES = {  # local time, hour and minute, each working day
    "report_reminders": (7, 0),
    "invitation_chasers": (7, 10),
    "outcomes_not_finalised": (7, 20),
    "distribution_overdue": (7, 30),
    "core_groups_overdue": (7, 40),
    "reviews_due_unbooked": (7, 50),
    "complaint_responses_due": (8, 0),
    "challenge_responses_overdue": (8, 10),
}
# The DfE's three-digit number for the authority, offered on the census export.
CONVENE_LA_CODE = env_str("CONVENE_LA_CODE", "855")
CONVENE_CENSUS_MAX_BYTES = env_int("CONVENE_CENSUS_MAX_BYTES", 20 * 1024 * 1024)
CONVENE_CLERKS_MAILBOX = env_str("CONVENE_CLERKS_MAILBOX", "clerks@convene.invalid")
CONVENE_COMPLAINT_RESPONSE_WORKING_DAYS = {1: 10, 2: 20, 3: 25}
CONVENE_CHALLENGE_RESPONSE_WORKING_DAYS = 5
CONVENE_AGENCY_QUESTIONNAIRE_DAYS = 14  # an agency's questionnaire link works this long, once
CONVENE_KIOSK_LINK_HOURS = 2  # the parent's questionnaire on the IRO's tablet
CONVENE_FEEDBACK_RATE = (30, 600)  # requests per client address per this many seconds
CONVENE_ADVOCACY_AGE = 10  # young people this old on the conference date are referred
CONVENE_ADVOCATES_MAILBOX = env_str("CONVENE_ADVOCATES_MAILBOX", "advocates@convene.invalid")
CONVENE_OUTBOX_STUCK_MINUTES = 10  # a claimed notification unsent this long is tried again
CONVENE_EMAIL_PROVIDER = env_str("CONVENE_EMAIL_PROVIDER", "smtp")  # or "notify"
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY")
NOTIFY_TEMPLATE_ID = env_str("NOTIFY_TEMPLATE_ID")

# Where staff reach Convene: links in emails are built from it.
CONVENE_BASE_URL = env_str("CONVENE_BASE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "convene@localhost")

# Security headers. Cookies are secure wherever the service runs behind HTTPS (production).
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = IS_PRODUCTION and env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Trust X-Forwarded-Proto only when a TLS proxy in front of us sets it (and strips what clients
# send): otherwise any client could claim HTTPS, defeating the redirect and secure-only checks.
if env_bool("DJANGO_TRUST_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Django logs the path of each refused request: secrets in paths are cut (config/secret_paths).
    "filters": {"cut_secrets": {"()": "config.secret_paths.CutSecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["cut_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # axes reports every sign-in at INFO with masked names: noise, and too close to personal data.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# Outside production WhiteNoise serves the freshly built assets straight from static/build.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION
