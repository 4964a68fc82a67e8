"""Default settings for each environment.

Every attribute in upper case is a setting. Each one can be overridden by an environment
variable named ``CARSHARE_<NAME>`` (see ``.env.example``).
"""

from __future__ import annotations

DEFAULT_SECRET_KEY = "dev-only-not-secret"


class BaseConfig:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = DEFAULT_SECRET_KEY
    DATABASE_URL = ""  # empty: an SQLite file under instance/
    TIMEZONE = "Asia/Tokyo"
    DEFAULT_LOCALE = "ja"
    LOCALES = "ja,en"
    TOWN_SLUG = "teshio"
    OFFICE_PHONE = "01632-2-1111"  # shown on every page and on riders' slips
    LATE_CANCEL_HOURS = 3  # a rider's cancellation this close to pick-up counts as late
    ROADS_DIR = ""  # road graphs (flask roads build); empty: instance/roads; "off": none
    MAP_TILES_URL = ""  # e.g. https://tile.example.jp/{z}/{x}/{y}.png; empty: markers only
    HOST = "127.0.0.1"
    PORT = 5000
    SCHEDULER_ENABLED = True
    SESSION_COOKIE_SECURE = False  # production: True (the proxy serves HTTPS)
    SESSION_COOKIE_SAMESITE = "Lax"  # Lax, Strict or None
    IDLE_TIMEOUT_MINUTES = 30  # a staff session ends after this long without activity
    IDLE_WARNING_SECONDS = 120  # the page warns this long before and offers to stay signed in
    RATELIMIT_STORAGE_URI = "memory://"  # several workers: redis://127.0.0.1:6379
    LOGIN_RATE_LIMIT = "10 per 15 minutes"  # failed staff sign-ins per user name and address
    LOGIN_RATE_LIMIT_PER_ADDRESS = "50 per hour"  # failed staff sign-ins per address
    SIGNIN_CODE_RATE_LIMIT = "10 per 15 minutes"  # phone code requests / wrong codes per address
    RIDER_BOOKING_RATE_LIMIT = "10 per hour;30 per day"  # bookings sent from one rider's phone
    RIDER_OPEN_REQUESTS_PER_DAY = 4  # open rides a rider may ask for on one day from the phone
    WTF_CSRF_ENABLED = True
    UNSAFE_ALLOWED = ""  # production: unsafe settings knowingly kept, by name (comma-separated)
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # largest request body (bytes; nginx: 2m); else 413
    LOG_LEVEL = "INFO"
    SQL_ECHO = False
    NOTIFY_CHANNEL = "console"  # console or twilio
    NOTIFY_HOURS = "08:00-20:00"  # calls and SMS only then (sign-in codes excepted)
    REMINDER_EVENING_AT = "18:00"
    REMINDER_BEFORE_MINUTES = 45
    PLAN_TOMORROW_AT = "17:00"
    PLAN_TIME_LIMIT_SECONDS = 10  # the solver's time for one town's day at PLAN_TOMORROW_AT
    TASK_QUEUE = "auto"  # auto: Procrastinate on PostgreSQL, in-process on SQLite; or inline
    TASK_THREADS = 2  # in-process queue: tasks run at once in this many threads of the app
    TASK_HEARTBEAT_SECONDS = 10  # a worker tells the database it is alive this often...
    TASK_STALLED_SECONDS = 30  # ...and its running tasks go to another worker after this long
    DRIVER_ANSWER_HOURS = 2  # a driver asked to take a rider has this long to answer
    DRIVER_ANSWER_LATEST = "18:00"  # ...and never later than this on the day before the ride
    DISPATCH_INTERVAL_SECONDS = 30
    NOTIFY_MAX_ATTEMPTS = 5
    NOTIFY_LEASE_SECONDS = 300
    PUBLIC_URL = ""  # how Twilio reaches /hooks/twilio/... e.g. https://carshare.example.jp
    PROXY_FIX_HOPS = 0  # reverse proxies in front of the app (X-Forwarded-* trusted)
    METRICS_TOKEN = ""  # /metrics needs "Authorization: Bearer <this>"; empty: /metrics is 404
    TWILIO_ACCOUNT_SID = ""
    TWILIO_AUTH_TOKEN = ""
    TWILIO_SMS_FROM = ""
    TWILIO_VOICE_FROM = ""
    TWILIO_API_BASE = ""  # empty: Twilio itself; e.g. http://127.0.0.1:4010 for the mock


class DevelopmentConfig(BaseConfig):
    """Local development: embedded SQLite, scheduler in the web process."""

    ENV_NAME = "development"
    LOG_LEVEL = "DEBUG"


class TestingConfig(BaseConfig):
    """The test suite: no scheduler, CSRF on (tests ask for it explicitly when needed)."""

    ENV_NAME = "testing"
    ROADS_DIR = "off"  # tests that need roads build a graph of their own
    SECRET_KEY = "testing-secret-key"
    SCHEDULER_ENABLED = False
    TASK_QUEUE = "inline"  # a task runs when it is enqueued (tests of workers set their own)
    LOG_LEVEL = "WARNING"


class ProductionConfig(BaseConfig):
    """Production: PostgreSQL, secure cookies, the scheduler runs as its own command."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    SCHEDULER_ENABLED = False


ENVIRONMENTS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
