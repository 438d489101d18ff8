#!/usr/bin/env bash
# A single-node KRaft Apache Kafka for tests and CI, built from the official Maven Central
# artifacts and the local Java 17+, because the project's machines have no Docker engine.
#
# Usage: scripts/kafka-local.sh start|halt|stop|status
#   start   fetch the broker jars once (cached), format a throw-away log dir, start the broker
#           in the background and wait until it serves clients; prints KAFKA_BROKERS=127.0.0.1:<port>.
#           After `halt`, starts the same broker again: same port, same log dir, same cluster id.
#   halt    stop the broker on this port but keep its data, so `start` brings it back (tests of
#           a broker restart)
#   stop    stop the broker started on this port and delete its data
#   status  exit 0 and print KAFKA_BROKERS when running, exit 3 otherwise
# Environment:
#   KAFKA_PORT (19092)             client listener port; the controller listens on KAFKA_CONTROLLER_PORT (port+1)
#   KAFKA_START_TIMEOUT_S (120)    how long start waits for the broker before giving up
#   KAFKA_HEAP_OPTS                JVM heap flags (default -Xms256m -Xmx512m)
#   KAFKA_CACHE_DIR                where jars and run state live (default <repo>/.cache/kafka)
#   KAFKA_OWNER_PID                when set, the broker is stopped once that process is gone (test runners
#                                  that die without their teardown leave no broker behind)
# The Kafka version is pinned in scripts/kafka/version and nowhere else.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
version="$(tr -d '[:space:]' <"$here/kafka/version")"
major="${version%%.*}"
port="${KAFKA_PORT:-19092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
cache_root="${KAFKA_CACHE_DIR:-$root/.cache/kafka}"
libs="$cache_root/$version/libs"
run_dir="$cache_root/run/$port"
pid_file="$run_dir/kafka.pid"
log_file="$run_dir/kafka.log"
timeout_s="${KAFKA_START_TIMEOUT_S:-120}"
heap_opts="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"

say() { echo "kafka-local: $*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}
now() { date +%s.%N; }
since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }

running_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

log_tail() {
  if [[ -f "$log_file" ]]; then
    say "last lines of $log_file:"
    tail -n 40 "$log_file" >&2
  fi
}

require_tools() {
  command -v java >/dev/null || die "java not found on PATH: Kafka $version needs a Java 17+ runtime"
  local java_major
  java_major="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }')"
  [[ "${java_major%%.*}" -ge 17 ]] || die "java $java_major found: Kafka $version needs Java 17 or newer"
}

# The slf4j binding differs by line: 4.x logs through log4j2, 3.x through reload4j.
write_pom() {
  local logging
  if [[ "$major" -ge 4 ]]; then
    logging='
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.17</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>'
  else
    logging='
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>'
  fi
  cat >"$1" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Throw-away pom written by scripts/kafka-local.sh: only used to fetch the broker's jars. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>switchboard.local</groupId>
  <artifactId>kafka-local</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>$logging
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$version</version></dependency>
  </dependencies>
</project>
EOF
}

fetch_libs() {
  [[ -f "$libs/.complete" ]] && return 0
  # Brokers on other ports may be fetching the same version right now.
  exec 8>"$cache_root/.lock-fetch-$version"
  flock 8
  if [[ -f "$libs/.complete" ]]; then
    exec 8>&-
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found on PATH: needed once to fetch Kafka $version from Maven Central"
  local started work
  started="$(now)"
  work="$(mktemp -d)"
  say "fetching Kafka $version jars from Maven Central into $libs (once)"
  write_pom "$work/pom.xml"
  rm -rf "$libs.partial"
  if ! mvn -q -B -f "$work/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs.partial" >"$work/mvn.log" 2>&1; then
    tail -n 40 "$work/mvn.log" >&2
    rm -rf "$work" "$libs.partial"
    die "mvn could not fetch org.apache.kafka:kafka_2.13:$version (see output above)"
  fi
  rm -rf "$libs" "$work"
  mv "$libs.partial" "$libs"
  touch "$libs/.complete"
  exec 8>&-
  say "fetched $(find "$libs" -name '*.jar' | wc -l) jars in $(since "$started")s"
}

write_server_properties() {
  local data_dir="$1" quorum share=''
  if [[ "$major" -ge 4 ]]; then
    quorum="controller.quorum.bootstrap.servers=127.0.0.1:$controller_port"
    share=$'share.coordinator.state.topic.replication.factor=1\nshare.coordinator.state.topic.min.isr=1'
  else
    quorum="controller.quorum.voters=1@127.0.0.1:$controller_port"
  fi
  cat >"$run_dir/server.properties" <<EOF
# Written by scripts/kafka-local.sh: one combined broker+controller node on loopback, for tests.
process.roles=broker,controller
node.id=1
$quorum
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$data_dir
num.partitions=4
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
$share
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
EOF
}

# The JVM command line shared by the storage tool and the broker, as an array.
jvm=()
set_jvm() {
  local log_config
  if [[ "$major" -ge 4 ]]; then
    log_config="-Dlog4j2.configurationFile=$here/kafka/log4j2.xml"
  else
    log_config="-Dlog4j.configuration=file:$here/kafka/log4j.properties"
  fi
  # shellcheck disable=SC2206 # heap_opts is a list of flags
  jvm=(java $heap_opts -Djava.awt.headless=true "$log_config" -cp "$libs/*")
}

# True when `halt` left a formatted log dir on this port for `start` to bring back.
halted() {
  [[ -f "$run_dir/data-dir" && -f "$run_dir/server.properties" ]] &&
    [[ -f "$(cat "$run_dir/data-dir")/meta.properties" ]]
}

start() {
  local pid started data_dir cluster_id deadline log_lines format_args=()
  if pid="$(running_pid)"; then
    say "already running (pid $pid)"
    echo "KAFKA_BROKERS=127.0.0.1:$port"
    return 0
  fi
  port_answers "$port" && die "port $port is taken by another process; set KAFKA_PORT to a free port"
  port_answers "$controller_port" && die "controller port $controller_port is taken; set KAFKA_CONTROLLER_PORT"
  require_tools
  fetch_libs
  set_jvm

  started="$(now)"
  # A watchdog left from an earlier broker on this port would stop the new one when its owner exits.
  [[ -f "$run_dir/watchdog.pid" ]] && { kill "$(cat "$run_dir/watchdog.pid")" 2>/dev/null || true; }
  if halted; then
    say "restarting the halted broker on port $port with its log dir $(cat "$run_dir/data-dir")"
  else
    rm -rf "$run_dir"
    mkdir -p "$run_dir"
    data_dir="$(mktemp -d "${TMPDIR:-/tmp}/kafka-local-$port.XXXXXX")"
    echo "$data_dir" >"$run_dir/data-dir"
    write_server_properties "$data_dir"

    if ! "${jvm[@]}" kafka.tools.StorageTool random-uuid >"$run_dir/cluster-id" 2>&1; then
      cat "$run_dir/cluster-id" >>"$log_file"
      log_tail
      die "java could not run Kafka's StorageTool from $libs"
    fi
    cluster_id="$(tail -n 1 "$run_dir/cluster-id")"
    [[ "$major" -ge 4 ]] && format_args=(--standalone)
    if ! "${jvm[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$run_dir/server.properties" \
      "${format_args[@]}" >>"$log_file" 2>&1; then
      log_tail
      die "formatting the KRaft log dir $data_dir failed"
    fi
  fi
  # A restarted broker appends to the same log: only lines from this start tell it is ready.
  log_lines=0
  [[ -f "$log_file" ]] && log_lines="$(wc -l <"$log_file")"

  # setsid: the broker outlives the shell (or test runner) that started it; stop finds it by pid.
  # 9>&-: the broker must not inherit the lock, or the next start/stop would wait for it forever.
  setsid "${jvm[@]}" kafka.Kafka "$run_dir/server.properties" >>"$log_file" 2>&1 </dev/null 9>&- &
  echo $! >"$pid_file"
  pid="$(cat "$pid_file")"

  deadline=$((SECONDS + timeout_s))
  until port_answers "$port" && tail -n "+$((log_lines + 1))" "$log_file" | grep -q 'Kafka Server started'; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log_tail
      rm -f "$pid_file"
      die "the broker exited during startup"
    fi
    if ((SECONDS >= deadline)); then
      log_tail
      stop >/dev/null
      die "the broker did not become ready on 127.0.0.1:$port within ${timeout_s}s"
    fi
    sleep 0.3
  done
  if [[ -n "${KAFKA_OWNER_PID:-}" ]]; then
    KAFKA_PORT="$port" KAFKA_CONTROLLER_PORT="$controller_port" KAFKA_CACHE_DIR="$cache_root" \
      setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; exec "$2" stop' \
      kafka-local-watchdog "$KAFKA_OWNER_PID" "$here/kafka-local.sh" >/dev/null 2>&1 </dev/null 9>&- &
    echo $! >"$run_dir/watchdog.pid"
  fi
  say "Kafka $version ready on 127.0.0.1:$port in $(since "$started")s (pid $pid, log $log_file)"
  echo "KAFKA_BROKERS=127.0.0.1:$port"
}

# Stops the broker process (SIGTERM, then SIGKILL after 30 s) and leaves its data alone.
stop_broker() {
  local pid
  if pid="$(running_pid)"; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.3
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "broker (pid $pid) ignored SIGTERM for 30s; killing it"
      kill -KILL "$pid"
    fi
    say "stopped (pid $pid)"
  else
    say "not running"
  fi
  rm -f "$pid_file"
}

halt() {
  stop_broker
  halted || die "no log dir of a broker on port $port to keep; was it started by this script?"
  say "halted; its data stays in $(cat "$run_dir/data-dir") for the next start"
}

stop() {
  local data_dir=''
  [[ -f "$run_dir/data-dir" ]] && data_dir="$(cat "$run_dir/data-dir")"
  stop_broker
  [[ -n "$data_dir" && -d "$data_dir" ]] && rm -rf "$data_dir"
  # The watchdog may be the one calling stop: never signal our own process.
  if [[ -f "$run_dir/watchdog.pid" ]]; then
    local watchdog
    watchdog="$(cat "$run_dir/watchdog.pid")"
    [[ "$watchdog" != "$$" ]] && kill "$watchdog" 2>/dev/null || true
  fi
  rm -rf "$run_dir"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    say "running (pid $pid)"
    echo "KAFKA_BROKERS=127.0.0.1:$port"
  else
    say "not running"
    exit 3
  fi
}

# Two test runs starting at once must not race on the same port or the jar cache.
with_lock() {
  mkdir -p "$cache_root"
  exec 9>"$cache_root/.lock-$port"
  flock 9
  "$@"
}

case "${1:-}" in
start) with_lock start ;;
halt) with_lock halt ;;
stop) with_lock stop ;;
status) status ;;
*)
  echo "usage: $0 start|halt|stop|status" >&2
  exit 2
  ;;
esac
