"""OpenTelemetry traces: one span per HTTP request (the ASGI instrumentation) and one per Cypher statement
(store/run.py names it after the statement), exported by OTLP over HTTP when the settings say so. Off by
default: then no provider is installed and the spans are the API's no-op ones, which cost next to nothing.

    GRAPH_API_OTEL_EXPORTER=otlp GRAPH_API_OTEL_ENDPOINT=http://collector:4318/v1/traces graph-api serve

No personal data leaves in a span. A statement's span carries its name, file and line, never its parameters;
the request's span has its URL without the query string (a GET request's query and variables could name a
person; WithoutQueryStrings), and no header is captured. The JSON log lines carry the trace id
(ops/logging_setup.py), so a slow span leads to its log lines and back."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from starlette.middleware import Middleware

from graph_api.settings import Settings

tracer = trace.get_tracer("graph_api")

# Attributes of the HTTP semantic conventions (old and new names) that can hold a query string.
_URL_ATTRIBUTES = ("http.url", "url.full", "http.target")
_QUERY_ATTRIBUTES = ("url.query",)


def _without_query(value: str) -> str:
    if value.startswith("/"):
        return value.split("?", 1)[0]
    parts = urlsplit(value)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class WithoutQueryStrings(SpanExporter):
    """Hands spans on with their URL attributes cut before the query string. The ASGI instrumentation
    records the full URL, and a GET request's query string can carry a person's identity number; the spans
    are copied here, just before export, so no processor or instrumentation order can let one through."""

    def __init__(self, exporter: SpanExporter) -> None:
        self.exporter = exporter

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self.exporter.export([_cleaned(s) for s in spans])

    def shutdown(self) -> None:
        self.exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return self.exporter.force_flush(timeout_millis)


def _cleaned(span: ReadableSpan) -> ReadableSpan:
    attributes = dict(span.attributes or {})
    if not any(name in attributes for name in (*_URL_ATTRIBUTES, *_QUERY_ATTRIBUTES)):
        return span
    for name in _URL_ATTRIBUTES:
        if isinstance(value := attributes.get(name), str):
            attributes[name] = _without_query(value)
    for name in _QUERY_ATTRIBUTES:
        attributes.pop(name, None)
    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=attributes,
        events=span.events,
        links=span.links,
        kind=span.kind,
        status=span.status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


def configure_tracing(settings: Settings) -> bool:
    """Install the tracer provider the settings ask for; True when traces are exported."""
    if settings.otel_exporter == "none":
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = TracerProvider(resource=Resource.create({"service.name": settings.otel_service_name}))
    exporter = WithoutQueryStrings(OTLPSpanExporter(endpoint=settings.otel_endpoint))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return True


def shutdown_tracing() -> None:
    """Flush the spans still queued (at the end of the process)."""
    provider = trace.get_tracer_provider()
    shutdown = getattr(provider, "shutdown", None)
    if callable(shutdown):
        shutdown()


def current_trace_id() -> str | None:
    """The current span's trace id as 32 hex digits, for the log lines; None outside a recorded span."""
    context = trace.get_current_span().get_span_context()
    return f"{context.trace_id:032x}" if context.is_valid else None


def tracing_middleware(settings: Settings) -> list[Middleware]:
    """A server span per request (health probes and metrics scrapes excluded), when traces are on."""
    if settings.otel_exporter == "none":
        return []
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    return [
        Middleware(OpenTelemetryMiddleware, excluded_urls="healthz,readyz,metrics", exclude_spans=["receive", "send"])
    ]
