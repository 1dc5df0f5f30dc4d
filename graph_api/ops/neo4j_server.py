"""The managed local Neo4j 5.26 Community server, run straight from the Maven jars (no tarball install)."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError

from graph_api.ops.neo4j_install import Neo4jServerError as Neo4jServerError  # re-exported: callers catch it here
from graph_api.ops.neo4j_install import _last_lines, find_java
from graph_api.ops.neo4j_install import install as install  # re-exported: `graph-api neo4j install`
from graph_api.settings import Settings

log = logging.getLogger(__name__)

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
PID_FILE = "graph-api-neo4j.pid"
LOGS = ("neo4j.log", "console.log")
# Servers launched by this process, kept so they can be reaped (and Popen does not warn when collected).
_children: dict[int, subprocess.Popen[bytes]] = {}
# Neo4j's own launcher flags (its default neo4j.conf's server.jvm.additional, and -Dfile.encoding), bar
# -XX:+AlwaysPreTouch, which would slow start-up on this shared box; plus a few opens and exit on OOM.
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    *(
        f"--add-opens=java.base/{m}=ALL-UNNAMED"
        for m in ("java.nio", "java.io", "sun.nio.ch", "java.lang", "java.util.concurrent", "java.net")
    ),
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]


@dataclass(frozen=True)
class Neo4jStatus:
    managed: bool
    running: bool
    pid: int | None
    bolt_uri: str
    query_ok: bool
    version: str | None = None
    error: str | None = None


def _home(settings: Settings) -> Path:
    return settings.neo4j_home.expanduser().resolve()  # absolute: matched against --home-dir of processes


def _prepare_home(settings: Settings, jars: Path) -> str:
    """Lay out the home dir, rewrite neo4j.conf and return the classpath."""
    home = _home(settings)
    for sub in ("conf", "data", "logs", "plugins", "run", "import"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    # Procedures are loaded from the plugins dir, so APOC goes there and not among the lib jars.
    apoc = {j.name: j for j in jars.glob("apoc-*.jar")}
    for stale in (home / "plugins").glob("apoc-*.jar"):
        if stale.name not in apoc:
            stale.unlink()
    for name, jar in apoc.items():
        if not (target := home / "plugins" / name).exists() or target.stat().st_size != jar.stat().st_size:
            shutil.copy2(jar, target)
    conf = {
        **{f"server.directories.{d}": str(home / d) for d in ("data", "logs", "plugins", "run", "import")},
        "server.default_listen_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{settings.neo4j_bolt_port}",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "server.memory.heap.initial_size": settings.neo4j_heap,
        "server.memory.heap.max_size": settings.neo4j_heap,
        "server.memory.pagecache.size": settings.neo4j_pagecache,
        "server.config.strict_validation.enabled": "true",
        "dbms.security.auth_enabled": "true",
        "db.tx_log.rotation.retention_policy": "2 files",  # a local server: no point keeping history
    }
    header = "# Written by graph_api.neo4j_server on every start; edits here are lost.\n"
    (home / "conf" / "neo4j.conf").write_text(header + "".join(f"{k}={v}\n" for k, v in conf.items()))
    libs = [str(j) for j in sorted(jars.glob("*.jar")) if not j.name.startswith("apoc-")]
    return os.pathsep.join([str(home / "plugins" / "*"), *libs])


def log_tail(settings: Settings, n: int = 40, since: dict[str, int] | None = None) -> str:
    """The last lines of neo4j.log and console.log, of what was written after the offsets in `since`."""
    parts = []
    for name in LOGS:
        if (path := _home(settings) / "logs" / name).exists():
            with path.open("rb") as f:
                f.seek(min((since or {}).get(name, 0), path.stat().st_size))
                if text := f.read().decode("utf-8", "replace").strip():
                    parts.append(f"--- {path} ---\n{_last_lines(text, n)}")
    return "\n".join(parts)


def _server_pid(settings: Settings) -> int | None:
    """The pid of the server of this home: the pid file's if it still names it, else found in /proc."""
    home, pid_file = _home(settings), _home(settings) / "run" / PID_FILE
    hint = pid_file.read_text().strip() if pid_file.exists() else ""
    candidates = [int(hint)] if hint.isdigit() else []
    candidates += [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]
    return next((pid for pid in candidates if _is_ours(pid, home)), None)


def _is_ours(pid: int, home: Path) -> bool:
    try:  # the command line guards against pid reuse; a zombie's is empty
        args = (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return ENTRY_POINT.encode() in args and f"--home-dir={home}".encode() in args


def _alive(pid: int) -> bool:
    if (proc := _children.get(pid)) is not None:  # our child: poll() also reaps it, leaving no zombie
        if proc.poll() is None:
            return True
        del _children[pid]
        return False
    try:  # not the cmdline: that reads empty while a process is still exec'ing
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def _probe(settings: Settings) -> str:
    """Run a real query (an open port is not yet a working database) and return the server version."""
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    with (
        GraphDatabase.driver(settings.bolt_uri, auth=auth, connection_timeout=3.0) as driver,
        driver.session(database=settings.neo4j_database) as session,
    ):
        session.run("RETURN 1").consume()
        rec = session.run("CALL dbms.components() YIELD versions, edition RETURN versions[0], edition").single()
    return " ".join(rec.values()) if rec else "unknown"


def wait_until_ready(settings: Settings, timeout: float | None = None, pid: int | None = None) -> str:
    """Poll until a query succeeds and return the version; fail once `pid` dies or the timeout passes."""
    deadline = time.monotonic() + (settings.neo4j_start_timeout if timeout is None else timeout)
    last = "no answer"
    while True:
        try:
            return _probe(settings)
        except AuthError as e:  # retrying would only trip Neo4j's lock-out after failed logins
            hint = (
                f" The password of a managed server is the one set on the first start of {_home(settings)}/data."
                if settings.managed_neo4j
                else ""
            )
            raise Neo4jServerError(f"{settings.bolt_uri} rejected user {settings.neo4j_user!r}.{hint}") from e
        except ClientError as e:
            if "DatabaseNotFound" not in (e.code or ""):  # the database may appear late in start-up
                raise Neo4jServerError(f"{settings.bolt_uri}: {e.code}: {e.message}") from e
            last = f"{e.code}: {e.message}"
        except (DriverError, Neo4jError, OSError) as e:
            last = f"{type(e).__name__}: {e}"
        if pid is not None and not _alive(pid):
            raise Neo4jServerError(f"the Neo4j process {pid} exited during start-up")
        if time.monotonic() >= deadline:
            raise Neo4jServerError(f"{settings.bolt_uri} did not answer a query in time (last error: {last})")
        time.sleep(1.0)


def status(settings: Settings) -> Neo4jStatus:
    pid = _server_pid(settings) if settings.managed_neo4j else None
    if settings.managed_neo4j and pid is None:  # whatever answers on the port then is not ours
        return Neo4jStatus(True, False, None, settings.bolt_uri, False, error="not running")
    try:
        version, error = _probe(settings), None
    except (DriverError, Neo4jError, OSError) as e:
        version, error = None, f"{type(e).__name__}: {e}"
    running = pid is not None or version is not None
    return Neo4jStatus(settings.managed_neo4j, running, pid, settings.bolt_uri, version is not None, version, error)


def start(settings: Settings) -> bool:
    """Start the managed server and wait until it answers; True if launched now, False if it already ran."""
    if not settings.managed_neo4j:  # an external server: ours to check, not to launch
        wait_until_ready(settings, timeout=settings.neo4j_connection_timeout * 3)
        return False
    home = _home(settings)
    (home / "run").mkdir(parents=True, exist_ok=True)
    with open(home / "run" / "graph-api-start.lock", "w") as lock:  # a second start waits, then finds it running
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (pid := _server_pid(settings)) is not None:
            wait_until_ready(settings, pid=pid)  # it may still be starting, from another invocation
            return False
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", settings.neo4j_bolt_port)) == 0:
                raise Neo4jServerError(
                    f"port {settings.neo4j_bolt_port} is in use by another process, not the "
                    f"Neo4j of {home}; stop that or set GRAPH_API_NEO4J_BOLT_PORT"
                )
        _launch(settings, home)
    return True


def _launch(settings: Settings, home: Path) -> None:
    jars, java = install(settings), find_java(settings)
    classpath = _prepare_home(settings, jars)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    if not (home / "data" / "dbms").exists():  # the auth store is created on first start, from this
        res = subprocess.run(
            [
                str(java),
                "-cp",
                classpath,
                *JVM_FLAGS,
                "org.neo4j.cli.AdminTool",
                "dbms",
                "set-initial-password",
                settings.neo4j_password.get_secret_value(),
            ],
            env=env,
            cwd=home,
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            raise Neo4jServerError("neo4j-admin set-initial-password failed", _last_lines(res.stdout + res.stderr))
    since = {"neo4j.log": p.stat().st_size if (p := home / "logs" / "neo4j.log").exists() else 0}
    log.info("Starting Neo4j on %s (home %s)", settings.bolt_uri, home)
    with (home / "logs" / "console.log").open("wb") as console:
        # A session of its own: the server outlives this process, and a Ctrl-C here does not reach it.
        proc = subprocess.Popen(
            [
                str(java),
                "-cp",
                classpath,
                f"-Xms{settings.neo4j_heap}",
                f"-Xmx{settings.neo4j_heap}",
                *JVM_FLAGS,
                ENTRY_POINT,
                f"--home-dir={home}",
                f"--config-dir={home / 'conf'}",
            ],
            env=env,
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=console,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _children[proc.pid] = proc
    (home / "run" / PID_FILE).write_text(f"{proc.pid}\n")
    try:
        wait_until_ready(settings, pid=proc.pid)
    except Neo4jServerError as e:
        _terminate(proc.pid, grace=10.0)
        (home / "run" / PID_FILE).unlink(missing_ok=True)
        raise Neo4jServerError(str(e), e.log_tail or log_tail(settings, since=since)) from e


def _terminate(pid: int, grace: float) -> bool:
    """SIGTERM (Neo4j shuts down cleanly on it), SIGKILL after `grace` s; True if SIGTERM was enough."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 30.0)):
        with contextlib.suppress(ProcessLookupError):  # its whole group, when it leads one (as ours do)
            os.killpg(pid, sig) if os.getpgid(pid) == pid else os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.25)
        if not _alive(pid):
            return sig == signal.SIGTERM
    return False


def stop(settings: Settings, grace: float = 60.0) -> bool:
    """Stop the managed server; True if one was running. An external server is never touched."""
    if not settings.managed_neo4j:
        return False
    if (pid := _server_pid(settings)) is not None:
        log.info("Stopping Neo4j (pid %d)", pid)
        if not _terminate(pid, grace):
            log.warning("Neo4j did not stop within %.0f s and was killed", grace)
    (_home(settings) / "run" / PID_FILE).unlink(missing_ok=True)
    return pid is not None


def ensure_running(settings: Settings) -> bool:
    """Start the managed server unless it already answers (True if launched now); a no-op for an external one."""
    return start(settings) if settings.managed_neo4j else False
