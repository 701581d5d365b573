#!/usr/bin/env bash
# The script behind the README's two commands, for a fresh Debian 12 machine.
#
#   deploy/coopcraft.sh start   install what is missing, build Release, start
#                               coopcraftd on the embedded RocksDB default
#   deploy/coopcraft.sh test    install what is missing, build with
#                               ASan+UBSan, run the whole ctest suite
#   deploy/coopcraft.sh stop    stop the server started by `start`
#
# Environment: COOPCRAFT_LISTEN (default 127.0.0.1:50051), COOPCRAFT_DATA_DIR
# (default ./var/coopcraft), JOBS (default: number of cores).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="${JOBS:-$(nproc)}"
LISTEN="${COOPCRAFT_LISTEN:-127.0.0.1:50051}"
DATA_DIR="${COOPCRAFT_DATA_DIR:-$ROOT/var/coopcraft}"
PID_FILE="$ROOT/var/coopcraftd.pid"
LOG_FILE="$ROOT/var/coopcraftd.log"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs only the packages that are missing; touches nothing otherwise.
install_packages() {
  local wanted missing=()
  mapfile -t wanted < <(grep -v '^#' "$ROOT/deploy/debian-packages.txt" | sed '/^$/d')
  for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    say "all ${#wanted[@]} Debian packages present"
    return
  fi
  say "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

configure_and_build() {
  local dir="$1"; shift
  cmake -S "$ROOT" -B "$dir" -G Ninja "$@"
  cmake --build "$dir" -j "$JOBS"
}

cmd_start() {
  install_packages
  say "building Release in build/release"
  configure_and_build "$ROOT/build/release" -DCMAKE_BUILD_TYPE=Release \
    -DCOOPCRAFT_BUILD_TESTS=OFF -DCOOPCRAFT_BUILD_BENCHMARKS=OFF
  cmd_stop quiet
  mkdir -p "$DATA_DIR" "$ROOT/var"
  say "starting coopcraftd on $LISTEN with data in $DATA_DIR"
  nohup "$ROOT/build/release/services/server/coopcraftd" \
    --listen="$LISTEN" --data_dir="$DATA_DIR" >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  local cli="$ROOT/build/release/clients/cli/coopcraft"
  # The first start writes an ADMIN token there (owner-only); the CLI reads
  # it from the file, never from the command line.
  local token="$DATA_DIR/admin.token"
  for _ in $(seq 1 100); do
    if [[ -f "$token" ]] && "$cli" --server="$LISTEN" --token_file="$token" \
        --timeout=1s status >/dev/null 2>&1; then
      "$cli" --server="$LISTEN" --token_file="$token" status
      say "coopcraftd is running (pid $(cat "$PID_FILE"), log $LOG_FILE)"
      echo "    admin token: $token (create the others with AdminService.CreateToken)"
      echo "    reach it:  $cli --server=$LISTEN --token_file=$token status"
      echo "    stop it:   deploy/coopcraft.sh stop"
      return 0
    fi
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "coopcraftd did not come up; its log:" >&2
  cat "$LOG_FILE" >&2
  return 1
}

cmd_stop() {
  if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    kill -TERM "$(cat "$PID_FILE")"
    for _ in $(seq 1 100); do
      kill -0 "$(cat "$PID_FILE")" 2>/dev/null || break
      sleep 0.1
    done
    [ "${1:-}" = quiet ] || say "coopcraftd stopped"
  fi
  rm -f "$PID_FILE"
}

cmd_test() {
  install_packages
  say "building with ASan+UBSan in build/sanitize"
  # -g1: line tables are all a sanitizer report needs, and full debug info
  # costs minutes of the CI budget in compiling and linking.
  configure_and_build "$ROOT/build/sanitize" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
    -DCOOPCRAFT_SANITIZE=ON -DCOOPCRAFT_BUILD_BENCHMARKS=ON
  say "running the test suite"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  cd "$ROOT/build/sanitize"
  # Two tests assert timing ratios (a stalled subscriber must not slow
  # appends; crash kills at random moments); on a shared VM an fsync hiccup
  # can fail one round, so a failed test gets one more run. A real
  # regression fails both.
  ctest --output-on-failure -j "$JOBS" --timeout 600 --repeat until-pass:2
  cmd_fuzz
}

# The libFuzzer targets of tests/fuzz: Clang only, so a build of their own in
# build/fuzz that compiles just what they link, then each fuzzes for 15 s
# (configure with -DCOOPCRAFT_FUZZ_SECONDS=N to change it).
cmd_fuzz() {
  say "building the fuzz targets with clang in build/fuzz"
  # COOPCRAFT_SANITIZE=OFF: tests/fuzz puts ASan+UBSan (and coverage) on
  # the rules it fuzzes and the targets themselves; the generated protobuf
  # code around them need not pay for it in build time.
  CC=clang CXX=clang++ cmake -S "$ROOT" -B "$ROOT/build/fuzz" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
    -DCOOPCRAFT_SANITIZE=OFF -DCOOPCRAFT_BUILD_BENCHMARKS=OFF
  cmake --build "$ROOT/build/fuzz" -j "$JOBS" \
    --target selection_fuzz project_fuzz cohort_fuzz
  say "fuzzing requests"
  cd "$ROOT/build/fuzz"
  ctest -L fuzz --output-on-failure -j "$JOBS"
}

case "${1:-}" in
  start) cmd_start ;;
  test) cmd_test ;;
  stop) cmd_stop ;;
  *) echo "usage: deploy/coopcraft.sh start|test|stop" >&2; exit 2 ;;
esac
