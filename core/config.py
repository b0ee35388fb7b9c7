"""Settings: defaults, then ``CONCORD_*`` environment variables, then the ``config`` mapping given to
``create_app`` (tests). The secret key is generated into ``instance/`` on first start, never committed."""
from __future__ import annotations

import os
import secrets
import tomllib

ENV_PREFIX = "CONCORD_"


def project_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def instance_path() -> str:
    return os.environ.get("CONCORD_INSTANCE") or os.path.join(project_root(), "instance")


def _secret_key(instance: str) -> str:
    """The instance's secret key, made on first start. Several workers may start at once: the key is
    written to a private temporary file and linked into place, so every process reads the same whole key."""
    path = os.path.join(instance, "secret_key")
    if not os.path.exists(path):
        os.makedirs(instance, mode=0o700, exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass            # another process won the race: use its key
        finally:
            os.unlink(tmp)
    with open(path) as fh:
        return fh.read().strip()


def _coerce(value: str):
    low = value.lower()
    if low in ("true", "yes", "1", "on"):
        return True
    if low in ("false", "no", "0", "off"):
        return False
    try:
        return int(value)
    except ValueError:
        return value


def load_config(overrides: dict | None = None) -> dict:
    instance = (overrides or {}).get("INSTANCE_PATH") or instance_path()
    os.makedirs(instance, mode=0o700, exist_ok=True)
    cfg: dict = {
        "INSTANCE_PATH": instance,
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL")
        or "sqlite:///" + os.path.join(instance, "concord.db"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "zh",
        "TIMEZONE": os.environ.get("CONCORD_TIMEZONE") or "Asia/Shanghai",  # the one clock (core.clock)
        "LANGUAGES": ["zh", "en"],
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCK_MINUTES": 15,
        # production (./run.sh prod sets CONCORD_PRODUCTION=1): Secure cookies, HSTS, strict 三员分立
        "PRODUCTION": False,
        # how many reverse proxies (nginx: 1) stand in front and may set X-Forwarded-For/-Proto/-Host
        "TRUSTED_PROXIES": 0,
        "PLUGINS": None,  # None = every installed plugin; or a list of names
        "DEMO": os.path.exists(os.path.join(instance, "demo-data")),  # written by `concord seed demo`
        "PROVINCE_OVERRIDES": {},
    }
    toml_path = os.path.join(instance, "concord.toml")
    if os.path.exists(toml_path):
        with open(toml_path, "rb") as fh:
            cfg["PROVINCE_OVERRIDES"] = tomllib.load(fh)
    for key, value in os.environ.items():
        if key.startswith(ENV_PREFIX) and key not in ("CONCORD_INSTANCE", "CONCORD_PORT"):
            name = key[len(ENV_PREFIX):]
            cfg[name] = [p for p in value.split(",") if p] if name == "PLUGINS" else _coerce(value)
    if overrides:
        cfg.update(overrides)
    cfg.setdefault("BABEL_DEFAULT_TIMEZONE", cfg["TIMEZONE"])  # dates shown follow the same zone
    from core.clock import check_zone
    check_zone(cfg["TIMEZONE"])   # a mistyped CONCORD_TIMEZONE stops the start, it is not guessed
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        cfg["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + cfg["SQLALCHEMY_DATABASE_URI"][len("postgresql://"):]
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 15}}
    elif cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") and "connect_args" not in cfg["SQLALCHEMY_ENGINE_OPTIONS"]:
        # a database that is restarting or unreachable answers within seconds (503), never hangs a worker
        # LIFO: a worker's requests reuse its most recently used connection, whose statements psycopg has
        # prepared (core.pg_prepared), and connections it no longer needs idle out
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {**cfg["SQLALCHEMY_ENGINE_OPTIONS"], "pool_timeout": 10,
                                            "pool_recycle": 1800, "pool_use_lifo": True,
                                            "connect_args": {"connect_timeout": 5}}
    cfg.setdefault("SECRET_KEY", None)
    if not cfg["SECRET_KEY"]:
        cfg["SECRET_KEY"] = _secret_key(instance)
    return cfg
