#!/usr/bin/env bash
# Proof of the fast local loop, for CI:
#   1. ksql-e2e up; the smoke scenarios twice against that stack (both runs must reuse it and say how
#      much start-up they saved); neither up nor a scenario run accepts the stack under another
#      configuration (a different image, JDBC sink); ksql-e2e down; nothing of the stack is left.
#   2. ksql-e2e up interrupted with SIGINT while it starts; nothing of that stack is left either.
# Needs DOCKER_HOST pointing at the engine (.ci/container-engine.sh sets it up for Podman) and the
# E2E_* image variables the test runs use. CONTAINER_CLI: the engine's command line (podman or docker).
set -euo pipefail

cd "$(dirname "$0")/.."
ENGINE=${CONTAINER_CLI:-podman}
CLI=(node cli/ksql-e2e.mjs)
WORK=$(mktemp -d)
# A state file of its own: a developer's .e2e/stack.json is left alone, and the test runs must find this one.
export E2E_STACK_FILE="$WORK/stack.json"
STEP_TIMEOUT_S=${STEP_TIMEOUT_S:-600}

log() { printf '\n[local-loop] %s\n' "$*"; }
fail() { printf '\n[local-loop] FAILED: %s\n' "$*" >&2; exit 1; }

state_field() { # state_field <file> <js expression on s>
  node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(eval(process.argv[2]))' "$1" "$2"
}

# Everything of one stack the engine still has; empty output means nothing is left.
leftovers() { # leftovers <stack id> <network> [volume...]
  local stack_id=$1 network=$2
  shift 2
  local label="ksql-pipeline-e2e.stack=$stack_id"
  "$ENGINE" ps -a --filter "label=$label" --format 'container {{.ID}} {{.Names}} {{.Status}}'
  "$ENGINE" network ls --format '{{.Name}}' | grep -Fx "$network" | sed 's/^/network /' || true
  local existing
  existing=$("$ENGINE" volume ls --format '{{.Name}}')
  for volume in "$@"; do
    grep -Fxq "$volume" <<<"$existing" && echo "volume $volume"
  done
  return 0
}

expect_nothing_left() { # expect_nothing_left <what> <stack id> <network> [volume...]
  local what=$1
  shift
  local left
  left=$(leftovers "$@")
  [[ -z $left ]] || fail "$what left behind:\n$left"
  log "$what: no container, network or volume of stack $1 is left (checked: $ENGINE ps -a, network ls, volume ls)"
}

# Polls a log file until it holds a line matching the pattern, or the process ended, or time ran out.
wait_for_line() { # wait_for_line <file> <pattern> <pid> <timeout s>
  local file=$1 pattern=$2 pid=$3 deadline=$((SECONDS + $4))
  until grep -Eq "$pattern" "$file" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || fail "process $pid ended before printing /$pattern/; its output:\n$(cat "$file")"
    ((SECONDS < deadline)) || fail "no /$pattern/ within $4 s in $file"
    sleep 0.5
  done
}

run_scenarios() { # run_scenarios <n>
  local out="$WORK/run$1.log" started=$SECONDS
  log "scenario run $1 against the running stack"
  # Console reporter only: the JUnit report in reports/ belongs to npm test.
  npx vitest run --project scenarios --reporter=default scenarios/stack 2>&1 | tee "$out"
  local line
  line=$(grep -Eo '\[stack\] reusing running stack [a-z0-9]+ from .* \(saved ~[0-9]+ s of start-up\)' "$out") ||
    fail "run $1 did not reuse the stack (no reuse line)"
  ! grep -Eq '\[stack\] [a-z -]+ starting' "$out" || fail "run $1 started containers of its own"
  log "run $1 took $((SECONDS - started)) s: $line"
}

# --- 1. up, two runs, down -----------------------------------------------------------------
log "ksql-e2e up (state file $E2E_STACK_FILE)"
up_started=$SECONDS
timeout "$STEP_TIMEOUT_S" "${CLI[@]}" up
log "up took $((SECONDS - up_started)) s"
cp "$E2E_STACK_FILE" "$WORK/stack.copy.json"
STACK_ID=$(state_field "$WORK/stack.copy.json" 's.stackId')
NETWORK=$(state_field "$WORK/stack.copy.json" 's.endpoints.network')
mapfile -t VOLUMES < <(state_field "$WORK/stack.copy.json" 's.volumes.join("\n")' | sed '/^$/d')
"${CLI[@]}" status

# Loopback, or the bridge gateway where the tests run in a container on the engine's machine: never all interfaces.
HOST=$(state_field "$WORK/stack.copy.json" 's.endpoints.postgres.fromHost.host')
[[ $HOST == localhost ]] && ADDRESS=127.0.0.1 || ADDRESS=$HOST
log "exposure: every published port of the stack listens on $ADDRESS only (ss -ltn)"
mapfile -t PORTS < <(state_field "$WORK/stack.copy.json" '[s.endpoints.postgres.fromHost.port, s.endpoints.kafka.bootstrapServersFromHost.split(":").pop(),
  ...[s.endpoints.schemaRegistry.urlFromHost, s.endpoints.connect.urlFromHost, s.endpoints.ksqldb.urlFromHost].filter(Boolean).map((u) => new URL(u).port)].join("\n")')
listeners=$(ss -Hltn)
for port in "${PORTS[@]}"; do
  bound=$(awk -v p=":$port" '$4 ~ p"$" {print $4}' <<<"$listeners")
  [[ -n $bound ]] || fail "nothing listens on port $port of the stack"
  [[ $(grep -cvF "$ADDRESS:$port" <<<"$bound") -eq 0 ]] || fail "port $port listens beyond $ADDRESS: $bound"
  log "port $port: $(tr '\n' ' ' <<<"$bound")"
done

run_scenarios 1
run_scenarios 2

log "the running stack, asked for under another configuration"
set +e
E2E_SCHEMA_REGISTRY_IMAGE=localhost/some/other-registry:1 "${CLI[@]}" up >"$WORK/up-other.log" 2>&1
other_up=$?
E2E_JDBC_SINK=debezium npx vitest run --project scenarios --reporter=default scenarios/stack/postgres.smoke.test.ts >"$WORK/run-other.log" 2>&1
other_run=$?
set -e
cat "$WORK/up-other.log"
((other_up == 1)) || fail "up with another Schema Registry image exited $other_up, expected 1"
grep -q "E2E_SCHEMA_REGISTRY_IMAGE: the running stack has .*, this run asks for localhost/some/other-registry:1" "$WORK/up-other.log" ||
  fail "up did not name the differing setting"
((other_run != 0)) || fail "a scenario run with E2E_JDBC_SINK=debezium reused the stack"
grep -q "E2E_JDBC_SINK: the running stack has confluent, this run asks for debezium" "$WORK/run-other.log" ||
  fail "the scenario run did not name the differing setting:\n$(cat "$WORK/run-other.log")"
log "both refused the stack, naming the difference and the ways out"

log "ksql-e2e down"
"${CLI[@]}" down
[[ ! -e $E2E_STACK_FILE ]] || fail "down left the state file $E2E_STACK_FILE"
expect_nothing_left "up/test/test/down" "$STACK_ID" "$NETWORK" "${VOLUMES[@]}"

# --- 2. SIGINT while up is starting ----------------------------------------------------------
export E2E_STACK_FILE="$WORK/interrupted-stack.json"
log "ksql-e2e up, interrupted with SIGINT while it starts"
"${CLI[@]}" up >"$WORK/up-interrupted.log" 2>&1 &
UP_PID=$!
wait_for_line "$WORK/up-interrupted.log" '\[up\] starting stack k[0-9a-f]+' "$UP_PID" 60
INT_STACK_ID=$(grep -Eo 'starting stack k[0-9a-f]+' "$WORK/up-interrupted.log" | awk '{print $3}')
# Interrupt with containers running and others still starting.
wait_for_line "$WORK/up-interrupted.log" '\[up\] postgres ready' "$UP_PID" "$STEP_TIMEOUT_S"
mapfile -t INT_VOLUMES < <("$ENGINE" ps -a -q --filter "label=ksql-pipeline-e2e.stack=$INT_STACK_ID" |
  xargs -r "$ENGINE" inspect --format '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}}{{"\n"}}{{end}}{{end}}' | sed '/^$/d')
running=$("$ENGINE" ps -a -q --filter "label=ksql-pipeline-e2e.stack=$INT_STACK_ID" | wc -l)
((running > 0)) || fail "stack $INT_STACK_ID has no container yet: the interruption would prove nothing"
log "stack $INT_STACK_ID has $running container(s) and ${#INT_VOLUMES[@]} volume(s); sending SIGINT"
interrupted_at=$SECONDS
kill -INT "$UP_PID"
set +e
wait "$UP_PID"
UP_STATUS=$?
set -e
cat "$WORK/up-interrupted.log"
((UP_STATUS == 130)) || fail "interrupted up exited with $UP_STATUS, expected 130"
log "up ended $((SECONDS - interrupted_at)) s after SIGINT"
[[ ! -e $E2E_STACK_FILE ]] || fail "interrupted up left the state file $E2E_STACK_FILE"
expect_nothing_left "interrupted up" "$INT_STACK_ID" "ksql-e2e-$INT_STACK_ID" "${INT_VOLUMES[@]}"

rm -rf "$WORK"
log "OK"
