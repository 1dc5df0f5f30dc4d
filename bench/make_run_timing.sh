#!/usr/bin/env bash
# Times `make run` from a fresh clone until http://127.0.0.1:$GRAPH_API_PORT/readyz answers 200 AND a
# GraphQL query for an entity of the demo city returns it.
#
#   bench/make_run_timing.sh            # REPEAT (default 1) rounds of cold + warm; prints a Markdown table
#
# cold: a fresh `git clone` of this repository (committed files only) into a temp dir, pip without a
#       cache (PIP_NO_CACHE_DIR=1) and an empty Maven repository (MAVEN_OPTS=-Dmaven.repo.local=<temp>),
#       so the venv's packages and the Neo4j jars are all downloaded.
# warm: the same clone again after stopping everything (venv, jars and Neo4j data present).
#
# Ports default to 8091 (API) and 7792 (Bolt) so as not to collide with the demo (8000/7687) or the
# test server (7688); the Makefile takes them from the environment. After each run the make process
# group is killed and the clone's Neo4j stopped; each round's clone is removed after it (KEEP=1 keeps).
# Environment: SRC (repository to clone, default: this one), GRAPH_API_PORT, GRAPH_API_NEO4J_BOLT_PORT,
# TIMEOUT (seconds per run, default 1800), REPEAT (rounds, default 1).
set -uo pipefail

SRC=${SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export GRAPH_API_PORT=${GRAPH_API_PORT:-8091}
export GRAPH_API_NEO4J_BOLT_PORT=${GRAPH_API_NEO4J_BOLT_PORT:-7792}
TIMEOUT=${TIMEOUT:-1800}
REPEAT=${REPEAT:-1}
unset GRAPH_API_NEO4J_HOME NEO4J_URI GRAPH_API_NEO4J_URI  # the clone's own .neo4j/run, a managed server

case " 7687 7688 7689 7699 " in *" $GRAPH_API_NEO4J_BOLT_PORT "*)
  echo "refusing Bolt port $GRAPH_API_NEO4J_BOLT_PORT: it belongs to another server" >&2; exit 1;; esac
if [ "$GRAPH_API_PORT" = 8000 ]; then echo "refusing API port 8000 (the demo's)" >&2; exit 1; fi
for port in "$GRAPH_API_PORT" "$GRAPH_API_NEO4J_BOLT_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is already in use" >&2; exit 1; fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/make-run-timing.XXXXXX")
CLONE=$WORK/clone
RESULTS=$WORK/results.tsv
MAKE_PGID=""

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }

stop_all() {
  if [ -n "$MAKE_PGID" ] && kill -0 "$MAKE_PGID" 2>/dev/null; then
    kill -TERM -- "-$MAKE_PGID" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$MAKE_PGID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$MAKE_PGID" 2>/dev/null
  fi
  wait 2>/dev/null
  MAKE_PGID=""
  if [ -x "$CLONE/.venv/bin/graph-api" ]; then
    (cd "$CLONE" && .venv/bin/graph-api neo4j stop >/dev/null 2>&1)
  fi
}

cleanup() {
  stop_all
  if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A phase ends when make echoes the next recipe line (make prints each command before running it).
PHASES=("venv + pip install|graph-api neo4j install" "neo4j install (Maven)|graph-api neo4j start"
        "Neo4j start|mkdir -p var" "demo import|graph-api serve" "serve until /readyz 200|")

run_once() {  # $1 = cold|warm, $2 = round
  local label=$1 round=$2 logf=$WORK/$1-$2.log start elapsed ready="" done_t="" status="timeout" code body
  local attempts=0 first_latency="" t_q
  log "round $round $label: make run (log $logf)"
  start=$EPOCHREALTIME
  # Every output line stamped with the seconds since start; setsid: make leads its own process group.
  setsid bash -c 'cd "$1" && exec make run 2>&1' _ "$CLONE" \
    > >(while IFS= read -r line; do printf '%8.2f %s\n' "$(since "$start")" "$line"; done > "$logf") &
  MAKE_PGID=$!
  while :; do
    elapsed=$(since "$start")
    if ! kill -0 "$MAKE_PGID" 2>/dev/null; then
      wait "$MAKE_PGID"; code=$?
      status="make exited ($code) before the API was ready"; break
    fi
    if [ -z "$ready" ]; then
      code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$GRAPH_API_PORT/readyz")
      [ "$code" = 200 ] && ready=$(since "$start")
    fi
    if [ -n "$ready" ]; then
      t_q=$EPOCHREALTIME; attempts=$((attempts + 1))
      body=$(curl -s -m 30 -H 'Content-Type: application/json' -d "$QUERY" "http://127.0.0.1:$GRAPH_API_PORT/graphql")
      [ -z "$first_latency" ] && first_latency=$(since "$t_q")
      if [[ "$body" == *"\"uscc\":\"$USCC\""* && "$body" != *'"errors"'* ]]; then
        done_t=$(since "$start"); status="ok"; break
      fi
    fi
    if awk -v e="$elapsed" -v t="$TIMEOUT" 'BEGIN { exit !(e > t) }'; then break; fi
    sleep 0.5
  done
  local prev=0 p name marker t phases=""
  for p in "${PHASES[@]}"; do
    name=${p%%|*}; marker=${p#*|}
    if [ -n "$marker" ]; then t=$(grep -m1 -F "$marker" "$logf" | awk '{print $1}'); else t=$ready; fi
    if [ -n "$t" ]; then phases+=$(awk -v a="$t" -v b="$prev" 'BEGIN { printf "\t%.1f", a - b }'); prev=$t
    else phases+=$'\t'"-"; fi
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s%s\t%s\t%s\n' "$round" "$label" "$status" "${ready:--}" "${done_t:--}" \
    "${first_latency:--}" "$attempts" "$phases" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -Is)" >> "$RESULTS"
  log "round $round $label: $status; /readyz 200 at ${ready:--} s, GraphQL answer at ${done_t:--} s" \
      "(first query took ${first_latency:--} s, $attempts attempt(s))"
  if [ "$status" != ok ]; then
    echo "---- last 40 lines of $logf ----" >&2; tail -n 40 "$logf" >&2
    cp "$logf" "${TMPDIR:-/tmp}/make-run-$label-$round.log" && log "log kept in ${TMPDIR:-/tmp}/make-run-$label-$round.log"
  fi
  stop_all
}

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$REPEAT"); do
  rm -rf "$CLONE" "$WORK/m2-repository"
  mkdir -p "$WORK/m2-repository"
  git clone -q "$SRC" "$CLONE" || { echo "git clone $SRC failed" >&2; exit 1; }
  log "round $round: cloned $SRC at $(git -C "$CLONE" rev-parse --short HEAD) into $CLONE"
  USCC=$(grep -m1 '"kind": *"entity"' "$CLONE/seed/demo.jsonl" | sed -E 's/.*"uscc": *"([^"]+)".*/\1/')
  QUERY=$(printf '{"query":"{ entity(uscc: \\"%s\\") { uscc name } }"}' "$USCC")
  PIP_NO_CACHE_DIR=1 MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Dmaven.repo.local=$WORK/m2-repository" run_once cold "$round"
  MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Dmaven.repo.local=$WORK/m2-repository" run_once warm "$round"
  if [ "${KEEP:-0}" = 1 ]; then cp -r "$CLONE" "$WORK/clone-$round"; fi
done
cp "$RESULTS" "${TMPDIR:-/tmp}/make-run-timing-results.tsv"

python3 - "$RESULTS" <<'PY'
import statistics, sys
cols = ["round", "run", "status", "ready", "done", "first_query", "attempts", "venv + pip install",
        "neo4j install (Maven)", "Neo4j start", "demo import", "serve until /readyz 200", "load", "date"]
rows = [dict(zip(cols, line.rstrip("\n").split("\t"))) for line in open(sys.argv[1])]
def cell(run, col):
    vals = [r[col] for r in rows if r["run"] == run]
    nums = [float(v) for v in vals if v not in ("-", "")]
    if len(nums) != len(vals) or not nums:
        return ", ".join(vals)
    return f"{nums[0]:.1f}" if len(nums) == 1 else f"**{statistics.median(nums):.1f}** ({', '.join(f'{n:.1f}' for n in nums)})"
print()
print("| run | n | result | /readyz 200 s | GraphQL entity answered s | first GraphQL query s | venv + pip s | "
      "neo4j install (Maven) s | Neo4j start s | demo import s | serve → /readyz s | load at end | date |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
for run in ("cold", "warm"):
    rs = [r for r in rows if r["run"] == run]
    if rs:
        print(f"| {run} | {len(rs)} | {', '.join(sorted(set(r['status'] for r in rs)))} | " + " | ".join(
            cell(run, c) for c in ("ready", "done", "first_query", "venv + pip install", "neo4j install (Maven)",
                                   "Neo4j start", "demo import", "serve until /readyz 200"))
              + f" | {'; '.join(r['load'] for r in rs)} | {rs[0]['date']} |")
PY
