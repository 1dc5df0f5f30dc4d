"""Getting Neo4j onto the machine: the jars from Maven Central (pinned by neo4j/pom.xml) and a Java
it runs on."""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from graph_api.settings import Settings

log = logging.getLogger("graph_api.neo4j_server")

STAMP_FILE = ".neo4j-version"


class Neo4jServerError(RuntimeError):
    """A failure to show a person: the message plus, when there is one, the tail of the server logs."""

    def __init__(self, message: str, log_tail: str = "") -> None:
        super().__init__(message)
        self.log_tail = log_tail


def _last_lines(text: str, n: int = 40) -> str:
    return "\n".join(text.rstrip().splitlines()[-n:])


def pom_version(settings: Settings) -> str:
    prop = ET.parse(settings.neo4j_pom).getroot().find("{*}properties/{*}neo4j.version")
    if prop is None or not prop.text or not prop.text.strip():
        raise Neo4jServerError(f"no <neo4j.version> property in {settings.neo4j_pom}")
    return prop.text.strip()


def install(settings: Settings) -> Path:
    """Fetch the server and APOC jars with Maven unless the jars dir already holds the pom's version."""
    version, jars = pom_version(settings), settings.neo4j_jars.expanduser().resolve()

    def done() -> bool:
        stamp = jars / STAMP_FILE
        return stamp.exists() and stamp.read_text().strip() == version and (jars / f"neo4j-{version}.jar").exists()

    if done():
        return jars
    jars.mkdir(parents=True, exist_ok=True)
    with open(jars.parent / ".graph-api-install.lock", "w") as lock:  # test and demo server may start at once
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done():
            return jars
        if not shutil.which("mvn"):
            raise Neo4jServerError("Maven (`mvn`) is not on PATH; it is needed once to fetch the Neo4j jars")
        if (jars / STAMP_FILE).exists():  # a version change: old jars left on the classpath would clash
            for old in jars.glob("*.jar"):
                old.unlink(missing_ok=True)
        log.info("Fetching Neo4j %s jars with Maven into %s", version, jars)
        res = subprocess.run(
            [
                "mvn",
                "-B",
                "-q",
                "-f",
                str(settings.neo4j_pom),
                f"-Dgraph-api.jars={jars}",
                "dependency:copy-dependencies",
            ],
            capture_output=True,
            text=True,
            cwd=jars,
        )
        if res.returncode != 0:
            raise Neo4jServerError("Maven failed to fetch the Neo4j jars", _last_lines(res.stdout + res.stderr))
        if not (jars / f"neo4j-{version}.jar").exists():
            raise Neo4jServerError(f"Maven ran but {jars} has no neo4j-{version}.jar")
        (jars / STAMP_FILE).write_text(version + "\n")
    return jars


def _java_major(java: Path) -> int | None:
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    return None if not m else int(m[2] or 0) if m[1] == "1" else int(m[1])


def find_java(settings: Settings) -> Path:
    """Java 17 or 21 only: the newer JDK also installed here (25) is not supported by Neo4j 5.26."""
    if settings.java_home is not None:
        java = settings.java_home / "bin" / "java"
        if (major := _java_major(java)) not in (17, 21):
            raise Neo4jServerError(f"GRAPH_API_JAVA_HOME: {java} is Java {major or '?'}; Neo4j 5.26 needs 17 or 21")
        return java
    candidates = [Path(os.environ["JAVA_HOME"]) / "bin" / "java"] if os.environ.get("JAVA_HOME") else []
    for pattern in ("*17*", "*21*"):
        candidates += [p / "bin" / "java" for p in sorted(Path("/usr/lib/jvm").glob(pattern))]
    candidates += [Path(p) for p in [shutil.which("java")] if p]
    for java in candidates:
        if java.exists() and _java_major(java) in (17, 21):
            return java
    raise Neo4jServerError("no Java 17 or 21 found: set GRAPH_API_JAVA_HOME (or JAVA_HOME) to a JDK 17 or 21")
