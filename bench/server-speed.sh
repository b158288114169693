#!/usr/bin/env bash
# bench/server-speed.sh — what the server-side speed features cost and save: read-ahead, the chunk
# cache, compression. One demo host with the mpft plugin on loopback (no namespaces, no shaping), the mpft client
# downloading one file into /dev/shm, every download verified.
#
#   bench/server-speed.sh [--runs 3] [--size 512m] [--cases prefetch,cache,compression] [--no-build]
#
# Cases (each row: one host configuration + one file + one client option; RUNS downloads, medians reported):
#   prefetch     random file, page cache dropped before every download (cold disk), chunk cache off:
#                mpft.prefetch=0 vs 4 (and 8)
#   cache        random file: cold (page cache dropped, chunk cache empty), warm page cache with the chunk cache
#                off, and warm chunk cache (mpft.cache.max-bytes larger than the file, filled by a first download)
#   compression  text-like (log lines) and random files, page cache warm, chunk cache off: raw vs --compress with
#                zstd (level 1) and deflate (level 1)
# Dropping the page cache needs root (sync; echo 3 > /proc/sys/vm/drop_caches).
#
# Per download: wall seconds of the transfer (the client's elapsedMs: JVM start excluded), MB/s (10^6 bytes/s),
# server CPU seconds (utime + stime of the host JVM from /proc before and after) and client CPU seconds (from
# /usr/bin/time), bytes on the wire (the plugin's transfer line). Results: bench/results/<stamp>-server.tsv and a
# table of medians on stdout (and in bench/results/<stamp>-server.md).
set -uo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs=3; size=512m; cases="prefetch,cache,compression"; build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift ;;
    --size) size="$2"; shift ;;
    --cases) cases="$2"; shift ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "server-speed: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
bytes_of() { local v="${1,,}"; case "$v" in *k) echo $(( ${v%k} << 10 ));; *m) echo $(( ${v%m} << 20 ));;
  *g) echo $(( ${v%g} << 30 ));; *) echo "$v";; esac; }
file_bytes=$(bytes_of "$size")
log() { printf '%s server-speed: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }
has_case() { [[ ",$cases," == *",$1,"* ]]; }

if [ $build = 1 ]; then
  log "building host, plugin and client jars (mvn -o -B -q -DskipTests package)"
  (cd "$repo" && mvn -o -B -q -DskipTests package -pl host-sftp-demo,mpft-plugin,mpft-cli -am) >&2 || die "build failed"
fi
work="${BENCH_WORK:-$repo/bench/results/server-work}"
inst="$work/instance"; data="$work/data"; out=/dev/shm/mpft-server-speed
rm -rf "$inst" "$out"; mkdir -p "$inst/jars" "$data/bench" "$out"
for j in host-sftp-demo/target/host-sftp-demo-*-all.jar mpft-cli/target/mpft-cli-*-all.jar; do
  f=$(ls "$repo"/$j 2>/dev/null | head -1); [ -n "$f" ] || die "no $j"; cp "$f" "$inst/jars/"
done
plugin_jar=$(ls "$repo"/mpft-plugin/target/mpft-plugin-*.jar | grep -v original- | head -1)
[ -n "$plugin_jar" ] || die "no plugin jar"
host_jar=$(ls "$inst"/jars/host-sftp-demo-*-all.jar); cli_jar=$(ls "$inst"/jars/mpft-cli-*-all.jar)
stamp=$(date +%Y%m%d-%H%M%S); results="$repo/bench/results/$stamp-server.tsv"; mkdir -p "$repo/bench/results"
key="$inst/id_ed25519"; ssh-keygen -q -t ed25519 -N '' -C bench -f "$key"
known="$inst/known_hosts"
cat > "$inst/host.properties" <<EOF
sftp.bind=127.0.0.1
sftp.port=2229
data.dir=$data
users.file=$inst/users.properties
plugins.dir=$inst/plugins
host.key=$inst/host.key
state.dir=$inst/state
EOF
BENCH_PASSWORD=$(head -c 18 /dev/urandom | base64) java -jar "$host_jar" user add --config "$inst/host.properties" \
  bench --password-env BENCH_PASSWORD --authorized-keys "$key.pub" >&2 || die "user add failed"

make_random() { local f="$data/bench/random-$file_bytes.bin"
  [ -f "$f" ] && [ "$(stat -c %s "$f")" = "$file_bytes" ] || head -c "$file_bytes" /dev/urandom > "$f"; echo "${f##*/}"; }
make_text() { local f="$data/bench/text-$file_bytes.log"
  if [ ! -f "$f" ] || [ "$(stat -c %s "$f")" != "$file_bytes" ]; then
    # log-like lines: timestamps, a few levels and words, numbers (zstd level 1 shrinks it ~4-6x)
    awk -v n="$file_bytes" 'BEGIN { srand(5); split("transfer chunk server client the of to bytes path window", w, " ");
      split("INFO WARN DEBUG", l, " "); while (t < n) { s = sprintf("%d %s [mpft-io-%d] %s %s %s %s n=%d\n",
      1764000000000 + int(rand() * 1e6), l[1 + int(rand() * 3)], int(rand() * 4), w[1 + int(rand() * 10)],
      w[1 + int(rand() * 10)], w[1 + int(rand() * 10)], w[1 + int(rand() * 10)], int(rand() * 100000)); printf "%s", s;
      t += length(s) } }' | head -c "$file_bytes" > "$f"
  fi; echo "${f##*/}"; }
declare -A sha=()
sha_of() { [ -n "${sha[$1]:-}" ] || sha[$1]=$(sha256sum "$data/bench/$1" | cut -d' ' -f1); echo "${sha[$1]}"; }

declare -A pid_of=() port_of=()
next_port=7309
start_host() {  # start_host NAME PROPS...: one more host process (own plugins folder and state, shared data and users)
  local name=$1; shift
  local d="$inst/$name"
  mkdir -p "$d/plugins" "$d/state"; cp "$plugin_jar" "$d/plugins/"
  sed -e "s|^plugins.dir=.*|plugins.dir=$d/plugins|" -e "s|^state.dir=.*|state.dir=$d/state|" \
    -e "s|^host.key=.*|host.key=$d/host.key|" -e "s|^sftp.port=.*|sftp.port=$((next_port - 5000))|" \
    "$inst/host.properties" > "$d/host.properties"
  { echo "mpft.bind=127.0.0.1"; echo "mpft.port=$next_port"; echo "mpft.name=$name"; for p in "$@"; do echo "$p"; done; } \
    > "$d/plugins/plugin.properties"
  port_of[$name]=$next_port; next_port=$((next_port + 1))
  java -jar "$host_jar" --config "$d/host.properties" > "$d/host.log" 2>&1 &
  pid_of[$name]=$!
  for _ in $(seq 120); do
    grep -q "mpft listening" "$d/host.log" && return 0
    kill -0 "${pid_of[$name]}" 2>/dev/null || die "$name exited: $(tail -3 "$d/host.log")"
    sleep 0.5
  done
  die "$name not listening after 60 s"
}
stop_hosts() {
  local name pid
  for name in "${!pid_of[@]}"; do
    pid=${pid_of[$name]}
    kill -TERM "$pid" 2>/dev/null; for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; unset "pid_of[$name]"
  done
}
trap 'stop_hosts; rm -rf "$out"' EXIT
cpu_ticks() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }; s=${s##*) }; set -- $s; echo $(( ${12} + ${13} )); }
clk=$(getconf CLK_TCK)
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || die "cannot drop the page cache (needs root)"; }

{ echo "# date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"; echo "# commit=$(cd "$repo" && git rev-parse --short HEAD)"
  echo "# cpus=$(nproc)"; echo "# load.start=$(cut -d' ' -f1-3 /proc/loadavg)"; echo "# file.bytes=$file_bytes"
  echo "# runs=$runs"
  printf 'case\tvariant\trun\tbytes\twall_s\tserver_cpu_s\tclient_cpu_s\twire_bytes\tstatus\n'; } > "$results"

# measure HOST CASE VARIANT RUN FILE [--compress]: one verified download from HOST (RUN 0: warm-up, not reported)
measure() {
  local h=$1 c=$2 v=$3 r=$4 f=$5; shift 5
  local host_pid=${pid_of[$h]}
  local dest="$out/$f" tf="$inst/time.out" lf="$inst/client.log"
  rm -f "$dest" "$dest".mpft-*
  local c0 c1 rc
  c0=$(cpu_ticks "$host_pid")
  /usr/bin/time -o "$tf" -f '%U %S' java -jar "$cli_jar" get --json -q "$@" -i "$key" --accept-new \
    --known-hosts "$known" "bench@127.0.0.1:${port_of[$h]}:$f" -o "$dest" > "$lf" 2>&1 < /dev/null
  rc=$?
  c1=$(cpu_ticks "$host_pid")
  local ms status=ok srv cli wire
  ms=$(grep -o '"elapsedMs":[0-9]*' "$lf" | tail -1 | cut -d: -f2)
  [ $rc = 0 ] || status="fail:$rc"
  [ $rc != 0 ] || [ "$(sha256sum "$dest" | cut -d' ' -f1)" = "$(sha_of "$f")" ] || status=sha-mismatch
  srv=$(awk -v a="$c0" -v b="$c1" -v t="$clk" 'BEGIN{printf "%.2f", (b-a)/t}')
  cli=$(awk '{printf "%.2f", $1+$2}' <(grep -E '^[0-9.]+ [0-9.]+$' "$tf" | tail -1))
  sleep 0.3
  wire=$(grep -o "file=$f .* wire=[0-9]*" "$inst/$h/host.log" | tail -1 | grep -o 'wire=[0-9]*' | cut -d= -f2)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$v" "$r" "$file_bytes" "$(awk -v m="${ms:-0}" 'BEGIN{printf "%.3f", m/1000}')" \
    "$srv" "$cli" "${wire:--}" "$status" >> "$results"
  log "  $c $v #$r: $(awk -v b="$file_bytes" -v m="${ms:-0}" 'BEGIN{ if (m > 0) printf "%.1f", b/1e3/m; else print "-" }') MB/s, server cpu ${srv}s, client cpu ${cli}s, wire ${wire:--} ($status)"
  rm -f "$dest" "$dest".mpft-*
}

rnd=$(make_random); txt=""
has_case compression && txt=$(make_text)
sha_of "$rnd" > /dev/null; [ -z "$txt" ] || sha_of "$txt" > /dev/null

# Variants run side by side (one host each) and alternate within every round, so that the machine's drift
# (other load) spreads over all of them; every host serves one unrecorded download first (JIT warm-up).
round_robin() {  # round_robin CASE cold|warm FILE "HOST|VARIANT|CLIENT OPTIONS"...
  local c=$1 cold=$2 f=$3; shift 3
  local specs=("$@") r i order h v o
  for spec in "${specs[@]}"; do IFS='|' read -r h v o <<< "$spec"; measure "$h" warmup "$v" 0 "$f" $o; done
  for r in $(seq "$runs"); do
    if [ $((r % 2)) = 1 ]; then order=("${specs[@]}"); else order=(); for ((i=${#specs[@]}-1; i>=0; i--)); do order+=("${specs[$i]}"); done; fi
    for spec in "${order[@]}"; do
      IFS='|' read -r h v o <<< "$spec"
      [ "$cold" = cold ] && drop_caches
      measure "$h" "$c" "$v" "$r" "$f" $o
    done
  done
}
if has_case prefetch; then
  start_host p0 mpft.cache.max-bytes=0 mpft.prefetch=0
  start_host p4 mpft.cache.max-bytes=0 mpft.prefetch=4
  start_host p8 mpft.cache.max-bytes=0 mpft.prefetch=8
  round_robin prefetch-cold cold "$rnd" "p0|prefetch=0|" "p4|prefetch=4|" "p8|prefetch=8|"
  stop_hosts
fi
if has_case cache; then
  start_host nocache mpft.cache.max-bytes=0
  start_host cache "mpft.cache.max-bytes=$(( file_bytes * 3 / 2 ))"
  round_robin cache cold "$rnd" "nocache|cold|"
  cat "$data/bench/$rnd" > /dev/null
  round_robin cache warm "$rnd" "nocache|warm page cache, chunk cache off|" "cache|warm chunk cache|"
  stop_hosts
fi
if has_case compression; then
  start_host zstd mpft.cache.max-bytes=0 mpft.compression=zstd
  start_host deflate mpft.cache.max-bytes=0 mpft.compression=deflate
  cat "$data/bench/$rnd" "$data/bench/$txt" > /dev/null
  round_robin compression warm "$txt" "zstd|text raw|" "zstd|text zstd|--compress" "deflate|text deflate|--compress"
  round_robin compression warm "$rnd" "zstd|random raw|" "zstd|random zstd|--compress" "deflate|random deflate|--compress"
  stop_hosts
fi
echo "# load.end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$results"

# medians per (case, variant)
awk -F'\t' '
  /^#/ { facts = facts $0 "\n"; next }
  $1 == "case" || $3 == 0 || $9 != "ok" { next }
  { k = $1 "\t" $2; if (!(k in n)) order[++nk] = k; n[k]++; w[k, n[k]] = $5; s[k, n[k]] = $6; c[k, n[k]] = $7;
    wire[k, n[k]] = $8; bytes[k] = $4 }
  function med(arr, k, cnt,   i, j, t, v) { for (i = 1; i <= cnt; i++) v[i] = arr[k, i]
    for (i = 1; i <= cnt; i++) for (j = i + 1; j <= cnt; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return cnt % 2 ? v[(cnt + 1) / 2] : (v[cnt / 2] + v[cnt / 2 + 1]) / 2 }
  END { printf "%s", facts
    print "| case | variant | runs | MB/s (median) | server CPU s/GiB | client CPU s/GiB | wire / bytes |"
    print "| --- | --- | --: | --: | --: | --: | --: |"
    for (i = 1; i <= nk; i++) { k = order[i]; split(k, p, "\t"); gib = bytes[k] / 1073741824
      mw = med(w, k, n[k]); ms = med(s, k, n[k]); mc = med(c, k, n[k]); mwire = med(wire, k, n[k])
      printf "| %s | %s | %d | %.1f | %.2f | %.2f | %s |\n", p[1], p[2], n[k], bytes[k] / 1e6 / mw, ms / gib, mc / gib,
        (mwire > 0 ? sprintf("%.3f", mwire / bytes[k]) : "-") } }' "$results" | tee "${results%.tsv}.md"
