"""Production connection URLs (passwords, TLS, Sentinel, RabbitMQ) reach SQLAlchemy and Celery
as they should. Nothing here opens a connection."""

from __future__ import annotations

import ssl

import pytest
from celery import Celery
from sqlalchemy.engine import make_url

from config import ConfigError, load_config

TLS_REDIS = "rediss://:s3cret@redis.example.com:6380/0?ssl_cert_reqs=required"
SENTINELS = "sentinel://:s3cret@s1.example.com:26379;sentinel://:s3cret@s2.example.com:26379"


@pytest.fixture
def env(monkeypatch):
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CELERY_SENTINEL_MASTER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TICKLER_DEVSTACK_SETTINGS", "off")
    return monkeypatch


def celery_from(config) -> Celery:
    app = Celery("url-test", set_as_current=False)
    app.config_from_object(config.CELERY)
    return app


def test_postgres_url_with_password_and_sslmode_reaches_sqlalchemy_intact(env):
    env.setenv(
        "DATABASE_URL", "postgres://tickler:p%40ss@db.example.com:5432/tickler?sslmode=require"
    )
    url = make_url(load_config("development").SQLALCHEMY_DATABASE_URI)
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.password, url.host, url.database) == (
        "tickler",
        "p@ss",
        "db.example.com",
        "tickler",
    )
    assert url.query == {"sslmode": "require"}


def test_rediss_broker_and_backend_check_certificates(env):
    env.setenv("CELERY_BROKER_URL", TLS_REDIS)
    celery = celery_from(load_config("development"))
    assert celery.conf.broker_use_ssl == {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    assert celery.conf.redis_backend_use_ssl == {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    connection = celery.connection_for_write()
    assert connection.ssl == {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    assert (connection.hostname, connection.port, connection.password) == (
        "redis.example.com",
        6380,
        "s3cret",
    )
    # The result backend builds its connection parameters without connecting.
    params = celery.backend.connparams
    assert params["ssl_cert_reqs"] == ssl.CERT_REQUIRED
    assert params["password"] == "s3cret" and params["port"] == 6380
    assert params["connection_class"].__name__ == "SSLConnection"


def test_rediss_options_from_the_query(env):
    env.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    env.setenv(
        "CELERY_RESULT_BACKEND",
        "rediss://:p@r:6380/1?ssl_cert_reqs=none&ssl_ca_certs=/etc/ssl/ca.pem",
    )
    config = load_config("development")
    assert "broker_use_ssl" not in config.CELERY
    assert config.CELERY["redis_backend_use_ssl"] == {
        "ssl_cert_reqs": ssl.CERT_NONE,
        "ssl_ca_certs": "/etc/ssl/ca.pem",
    }


def test_a_rediss_url_without_ssl_cert_reqs_still_checks_certificates(env):
    env.setenv("CELERY_BROKER_URL", "rediss://:p@r:6380/0")
    config = load_config("development")
    assert config.CELERY["broker_use_ssl"]["ssl_cert_reqs"] == ssl.CERT_REQUIRED


def test_a_bad_ssl_cert_reqs_is_explained(env):
    env.setenv("CELERY_BROKER_URL", "rediss://:p@r:6380/0?ssl_cert_reqs=maybe")
    with pytest.raises(ConfigError, match="CELERY_BROKER_URL.*required, optional or none"):
        load_config("development")


def test_sentinel_urls_name_the_master_for_broker_and_backend(env):
    env.setenv("CELERY_BROKER_URL", SENTINELS)
    env.setenv("CELERY_SENTINEL_MASTER", "mymaster")
    config = load_config("development")
    options = config.CELERY["broker_transport_options"]
    assert options["master_name"] == "mymaster"
    assert options["visibility_timeout"] == 7200  # the usual options are kept
    assert config.CELERY["result_backend_transport_options"] == {"master_name": "mymaster"}
    celery = celery_from(config)
    assert type(celery.backend).__name__ == "SentinelBackend"
    assert [(h["host"], h["port"]) for h in celery.backend.connparams["hosts"]] == [
        ("s1.example.com", 26379),
        ("s2.example.com", 26379),
    ]
    assert celery.connection_for_write().transport_cls == "sentinel"


def test_sentinel_without_master_name_is_explained(env):
    env.setenv("CELERY_BROKER_URL", SENTINELS)
    with pytest.raises(ConfigError, match="CELERY_SENTINEL_MASTER"):
        load_config("development")


def test_rabbitmq_broker_by_url_alone_keeps_a_redis_backend(env):
    env.setenv("CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
    env.setenv("CELERY_RESULT_BACKEND", "redis://127.0.0.1:6379/0")
    config = load_config("development")
    assert "broker_use_ssl" not in config.CELERY
    celery = celery_from(config)
    assert celery.connection_for_write().transport_cls == "amqp"
    assert type(celery.backend).__name__ == "RedisBackend"
