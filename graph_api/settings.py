"""All configuration, from the environment (prefix GRAPH_API_), with defaults that work locally."""

from __future__ import annotations

import base64
import binascii
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import (
    AliasChoices,
    Field,
    FilePath,
    PositiveInt,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph_api.resources import CHECKOUT, NEO4J_POM, in_checkout


def _default_state_dir() -> Path:
    """Where the managed Neo4j keeps its jars and data unless told otherwise: a checkout keeps them inside
    itself (.neo4j/, neo4j/target/, both ignored by git); an installed wheel in the user's data directory."""
    if in_checkout():
        return CHECKOUT
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "graph-api"


# Local-only keys so that a fresh clone works; production must set its own (README, "Configuration").
_DEV_ID_ENCRYPTION_KEY = "ZGV2LW9ubHktaWQtZW5jcnlwdGlvbi1rZXktMzJieXQ="
_DEV_ID_HASH_KEY = "dev-only-id-hash-key-change-me-in-production"
_DEV_JWT_SECRET = "dev-only-jwt-secret-change-me-in-production-0123456789"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRAPH_API_", env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"

    # An external Neo4j: when NEO4J_URI is set the service uses it and starts none.
    neo4j_uri: str | None = Field(None, validation_alias=AliasChoices("NEO4J_URI", "GRAPH_API_NEO4J_URI"))
    neo4j_user: str = Field(
        "neo4j", validation_alias=AliasChoices("NEO4J_USER", "NEO4J_USERNAME", "GRAPH_API_NEO4J_USER")
    )
    neo4j_password: SecretStr = Field(
        SecretStr("credit-graph-local"),
        validation_alias=AliasChoices("NEO4J_PASSWORD", "GRAPH_API_NEO4J_PASSWORD"),
    )
    neo4j_database: str = "neo4j"

    # The managed local server (used when NEO4J_URI is not set).
    # The managed local server's files: GRAPH_API_STATE_DIR moves them all, the two below one by one.
    state_dir: Path = Field(default_factory=_default_state_dir)
    neo4j_home: Path = Field(default_factory=lambda data: data["state_dir"] / ".neo4j" / "run")
    neo4j_jars: Path = Field(default_factory=lambda data: data["state_dir"] / "neo4j" / "target" / "lib")
    neo4j_pom: Path = NEO4J_POM
    neo4j_bolt_port: int = 7687
    # 2 cores / 24 GiB: the test server and the demo server may run side by side with the API.
    neo4j_heap: str = "3g"
    neo4j_pagecache: str = "4g"
    neo4j_start_timeout: float = 180.0
    java_home: Path | None = None

    # Pool and timeouts of the one async driver per process. They bound how long a request waits while
    # Neo4j is down or restarting: a TCP connect gives up after connection_timeout, waiting for a free
    # pooled connection after acquisition_timeout, and a managed transaction (every read and write) stops
    # retrying transient failures after max_retry_time (the driver's default is 30 s; an API answers
    # DATABASE_UNAVAILABLE within a few seconds instead, and the client retries). The CLI keeps 30 s.
    # Every connection of the pool busy for acquisition_timeout is SERVICE_SATURATED, not unavailability.
    neo4j_max_pool_size: int = Field(50, gt=0)
    neo4j_connection_timeout: float = 3.0
    neo4j_acquisition_timeout: float = Field(5.0, gt=0)
    neo4j_max_retry_time: float = 2.0
    # Connections the service opens at start (store/db.py warm_pool), so a burst does not open them under load;
    # 0: open them as requests come. At most the pool size.
    neo4j_warm_connections: int = Field(50, ge=0)
    # Neo4j's plan of every read statement compiled at start, in the background (store/warmup.py), so the first
    # requests do not pay cold plans of seconds each; False: compiled on first use.
    neo4j_warm_plans: bool = True

    # Python's garbage collector in `serve` (ops/gc_tuning.py): what is alive after the start is frozen, and
    # collections run at these thresholds (the interpreter's own). Raised ones (50,000, 50, 1,000) gave more
    # throughput at 32 connections but a p99 nearly three times worse at 8 (BENCHMARKS §23). JSON in the
    # environment: GRAPH_API_GC_THRESHOLDS='[700, 10, 10]'.
    gc_thresholds: tuple[PositiveInt, PositiveInt, PositiveInt] = (700, 10, 10)

    # Traces (ops/tracing.py): off unless "otlp", then exported over OTLP/HTTP to otel_endpoint.
    otel_exporter: Literal["none", "otlp"] = "none"
    otel_endpoint: str = "http://127.0.0.1:4318/v1/traces"
    otel_service_name: str = "graph-api"

    # One JSON object per line on stderr (graph_api/logging_setup.py).
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    host: str = "127.0.0.1"
    port: int = 8000

    # Identity numbers: AES-GCM encryption key (base64 of 32 bytes) and the HMAC key for exact lookup.
    id_encryption_key: SecretStr = SecretStr(_DEV_ID_ENCRYPTION_KEY)
    id_hash_key: SecretStr = SecretStr(_DEV_ID_HASH_KEY)

    import_batch_size: int = 2000

    # GraphQL hardening (graph_api/gql/limits.py): rejected before any database work.
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    max_query_cost: int = 5000  # items a query may return over all its pages (GitHub's node limit, scaled)
    max_body_bytes: int = 1_000_000
    request_timeout: float = 20.0  # seconds for a whole GraphQL request
    neo4j_query_timeout: float = 15.0  # seconds for one statement, enforced by Neo4j
    graphql_caches: bool = True  # parse and validation caches
    # plain read queries answered by their cached plan, not graphql-core's completion (compiled_execution.py)
    graphql_compiled_execution: bool = True

    # Alert subscriptions (api/graphql/subscriptions.py, services/alert_feed.py): each process polls the
    # outbox for alerts past the last it saw, every interval while it has subscribers, and fans them out.
    alert_poll_interval_ms: int = Field(200, gt=0)
    max_alert_subscriptions: int = Field(2000, gt=0)  # open at once in one process
    max_alert_subscriptions_per_user: int = Field(20, gt=0)
    # alerts waiting for one subscriber: past it the subscriber is too slow and is closed (it resumes
    # with afterSeq); a slow one never holds up the others
    alert_subscriber_queue: int = Field(500, gt=0)
    graphql_cache_size: int = 1000

    # Admission (graph_api/api/admission.py), per process. A client — its verified credential, else its address
    # — may send `burst` requests at once and `requests` per `window` seconds sustained; past that, 429.
    # Requests without a valid credential (the public portal) get the public rate, staff and services the
    # credential rate. Past max_in_flight requests at once the process answers 503 SERVICE_SATURATED.
    rate_limit_enabled: bool = True
    rate_limit_window: float = Field(60.0, gt=0)
    rate_limit_public_requests: int = Field(600, gt=0)
    rate_limit_public_burst: int = Field(120, gt=0)
    rate_limit_credential_requests: int = Field(3000, gt=0)
    rate_limit_credential_burst: int = Field(300, gt=0)
    rate_limit_max_clients: int = Field(10_000, gt=0)  # clients remembered; past it newcomers share one budget
    max_in_flight: int = Field(256, gt=0)

    # Connections (graph_api/api/http_protocol.py): seconds to send a request's headers (from the connection,
    # or from the first byte of a later request), then its body; idle seconds between kept-alive requests.
    header_timeout: float = Field(10.0, gt=0)
    body_timeout: float = Field(30.0, gt=0)
    keep_alive_timeout: int = Field(5, gt=0)
    max_header_bytes: int = Field(65_536, gt=0)
    # A second port answering GET /healthz from a process of its own, for load balancers' probes: its answer
    # does not wait behind the requests in flight (ops/health_listener.py). Off unless set. It answers 503 once
    # the event loop has not beaten for health_stale_after seconds (a loaded loop lags by seconds, a hung one
    # for ever).
    health_port: int | None = Field(None, gt=0, lt=65536)
    health_stale_after: float = Field(10.0, gt=0)
    worker_healthcheck_timeout: int = Field(30, gt=0)  # seconds a --workers N worker may take to answer a ping

    # Browser frontends served from other origins (CORS, api/app.py): the origins whose pages may call the API,
    # exactly as the browser sends them ("https://portal.example.gov.cn", no path), or "*" for any. None by
    # default: browsers then let only same-origin pages read the answers. Credentials travel in headers
    # (Authorization, X-API-Key, X-Purpose), which preflight allows; cookies are not used.
    cors_allowed_origins: list[str] = []
    cors_max_age: int = Field(600, ge=0)  # seconds a browser may cache a preflight answer

    # Webhooks (services/webhooks_delivery.py): the dispatcher runs in the app's lifespan when enabled, or as
    # `graph-api deliver webhooks`. A receiver must answer 2xx within webhook_timeout seconds; a failure is
    # retried after min(cap, base * 2**failures) seconds, times 1 ± jitter; after webhook_max_failures the
    # delivery is DEAD and the webhook's cursor moves on. A lease (webhook_lease_seconds) lets one worker at
    # a time deliver a webhook's alerts. Receivers on private networks are refused unless their range is in
    # webhook_allowed_networks (CIDR, e.g. a government intranet's 10.12.0.0/16). Up to webhook_concurrency
    # POSTs to one webhook are in flight at once (1: strictly one after the other, in seq order).
    webhooks_enabled: bool = False
    webhook_allowed_networks: list[str] = []
    webhook_timeout: float = Field(5.0, gt=0)
    webhook_backoff_base: float = Field(2.0, gt=0)
    webhook_backoff_cap: float = Field(600.0, gt=0)
    webhook_backoff_jitter: float = Field(0.2, ge=0, le=1)
    webhook_max_failures: int = Field(8, gt=0)
    webhook_lease_seconds: float = Field(30.0, gt=0)  # more than webhook_timeout: an attempt fits in it
    webhook_poll_interval: float = Field(0.5, gt=0)
    webhook_batch_size: int = Field(200, gt=0)  # alerts a pass reads, attempts and records in one transaction
    webhook_concurrency: int = Field(8, gt=0, le=64)
    # A PEM file of the CA certificates that receivers' TLS certificates are verified against, instead of the
    # system's (a government intranet's own CA). The name verified is always the registered URL's host name.
    webhook_ca_file: FilePath | None = None

    # Credentials (graph_api/auth.py): JWTs signed HS256 with jwt_secret, or RS256 with a key pair.
    jwt_algorithm: Literal["HS256", "RS256"] = "HS256"
    jwt_secret: SecretStr = SecretStr(_DEV_JWT_SECRET)
    jwt_private_key_file: Path | None = None
    jwt_public_key_file: Path | None = None
    jwt_issuer: str = "graph-api"
    api_keys_file: Path | None = None

    @field_validator("cors_allowed_origins")
    @classmethod
    def _origins(cls, origins: list[str]) -> list[str]:
        for origin in origins:
            if origin != "*" and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?", origin):
                raise ValueError(f"{origin!r} is not an origin: scheme://host[:port], no path or trailing slash, or *")
        return origins

    @model_validator(mode="after")
    def _production_keys(self) -> Settings:
        if self.environment == "production":
            problems = _production_key_problems(self)
            if problems:
                raise ValueError("production refuses these keys: " + "; ".join(problems))
        return self

    @property
    def managed_neo4j(self) -> bool:
        return self.neo4j_uri is None

    @property
    def bolt_uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.neo4j_bolt_port}"


MIN_SECRET_BYTES = 32  # HMAC keys shorter than the SHA-256 output weaken the MAC (RFC 2104, section 3)


def _production_key_problems(settings: Settings) -> list[str]:
    """What is wrong with each key production was given, saying what it requires."""
    problems = []
    keys: list[tuple[str, SecretStr, str]] = [
        ("GRAPH_API_ID_ENCRYPTION_KEY", settings.id_encryption_key, _DEV_ID_ENCRYPTION_KEY),
        ("GRAPH_API_ID_HASH_KEY", settings.id_hash_key, _DEV_ID_HASH_KEY),
    ]
    if settings.jwt_algorithm == "HS256":  # RS256 verifies with the key pair; the secret is unused
        keys.append(("GRAPH_API_JWT_SECRET", settings.jwt_secret, _DEV_JWT_SECRET))
    for name, secret, development in keys:
        value = secret.get_secret_value()
        if value == development:
            problems.append(f"{name} is still the development default; set your own")
        elif name == "GRAPH_API_ID_ENCRYPTION_KEY":
            if len(_base64_bytes(value)) not in (16, 24, 32):
                problems.append(f"{name} must be standard base64 of 16, 24 or 32 random bytes")
        elif len(value.encode()) < MIN_SECRET_BYTES:
            problems.append(f"{name} must be at least {MIN_SECRET_BYTES} bytes")
    return problems


def _base64_bytes(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return b""


@lru_cache
def get_settings() -> Settings:
    """The process's settings; a refused configuration stops it with what is wrong and what is required."""
    try:
        return Settings()
    except ValidationError as e:
        # The messages alone: pydantic's own text repeats the input values, and they include the secrets.
        reasons = "; ".join(
            (f"{'.'.join(map(str, x['loc']))}: " if x["loc"] else "") + x["msg"].removeprefix("Value error, ")
            for x in e.errors()
        )
        raise SystemExit(f"graph-api: configuration refused: {reasons}") from None
