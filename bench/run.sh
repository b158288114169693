#!/usr/bin/env bash
# bench/run.sh — mpft against the tools people use today, on two real rate-limited paths (issue 6).
#
#   sudo bench/run.sh            full run: 1 GiB file, 3 runs per tool, every scenario and peer (~40 min)
#   sudo bench/run.sh --quick    100 MB, 1 run, mpft + OpenSSH sftp only (< 5 min); exits 3 unless mpft
#                                multi-path (one strategy at least) beats mpft single path on the equal-rate
#                                bed, over the transfer as the client times it (CI runs this, .ci/run)
#   sudo bench/run.sh --memory   client peak RSS, mpft single path on loopback: 1 GiB vs 4 GiB file (16 MiB chunks)
#
# Other options: --runs N, --size BYTES (e.g. 256m, 1g), --scenarios equal,unequal,loss,loopback,capped-equal,capped-unequal,
#   --tools mpft-single,mpft-alternate,mpft-adaptive,sftp,sftp-gcm,scp,lftp-pget4,rclone-4,
#   --no-build (use the jars in */target as they are), --doc FILE (update the generated part of FILE).
# Environment: BENCH_WORK (default bench/results/work: the source files, instances, downloads);
#   BENCH_OUT (default $BENCH_WORK/out: where the downloads are written, e.g. a tmpfs to take the disk out).
#
# Scenarios (the bed is bench/testbed.sh, a copy of the team's shared two-path bed):
#   equal     path 1 = 200 Mbit/s to the primary (ns mpftP), path 2 = 200 Mbit/s to the secondary (ns mpftS)
#   unequal   300 + 100 Mbit/s
#   loss      200 + 200 Mbit/s, 1% random loss on path 1, per packet (offloads off there; needs ethtool)
#             (mpft adaptive vs OpenSSH sftp)
#   loopback  no namespaces, no shaping, 127.0.0.1
# Servers: the demo host (MINA SSHD + the mpft plugin) in three instances sharing one data folder:
#   solo       mpftP (or loopback), SFTP :2222, mpft :7300, no secondaries: mpft single path and every peer
#   primary    mpftP, SFTP :2223, mpft :7301, secondary at 10.77.9.2:7301 over the back-end link
#   secondary  mpftS, SFTP :2223, mpft :7301, advertised to clients as 10.77.2.1:7301
# Every download is verified (SHA-256 against the source). Servers are stopped and the bed taken down on
# exit, whatever happens. Only the bed's namespaces (10.77.x) and loopback are used.
#
# Per run it records (bench/results/<timestamp>.tsv, format in org.mpft.bench.report.ResultsFile): wall time
# of the client command, client CPU (user+sys, with waited-for children) and peak RSS from /usr/bin/time,
# server CPU from /proc/<pid>/stat of the server JVMs before and after. The report (medians, ratios, goal
# verdicts, chart) is rendered by org.mpft.bench.report.ReportMain next to it.
set -uo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
bench="$repo/bench"
bed="$bench/testbed.sh"

# ---------------------------------------------------------------- options
mode=full; runs=3; size=1g; scenarios="equal,unequal,loss,loopback,capped-equal,capped-unequal"
tools="mpft-single,mpft-alternate,mpft-adaptive,sftp,sftp-gcm,scp,lftp-pget4,rclone-4"
build=1; doc=""; runs_set=0; size_set=0; scen_set=0; tools_set=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --memory) mode=memory ;;
    --runs) runs="$2"; runs_set=1; shift ;;
    --size) size="$2"; size_set=1; shift ;;
    --scenarios) scenarios="$2"; scen_set=1; shift ;;
    --tools) tools="$2"; tools_set=1; shift ;;
    --no-build) build=0 ;;
    --doc) doc="$2"; shift ;;
    -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$mode" = quick ]; then
  [ $runs_set = 1 ] || runs=1
  [ $size_set = 1 ] || size=100m
  [ $tools_set = 1 ] || tools="mpft-single,mpft-alternate,mpft-adaptive,sftp"
fi
if [ "$mode" = memory ]; then
  [ $runs_set = 1 ] || runs=1
  scenarios="memory"; tools="mpft-single"
fi
bytes_of() {  # 100m -> 104857600 (binary suffixes), plain digits as they are
  local v="${1,,}"
  case "$v" in
    *k) echo $(( ${v%k} * 1024 )) ;; *m) echo $(( ${v%m} * 1024 * 1024 )) ;;
    *g) echo $(( ${v%g} * 1024 * 1024 * 1024 )) ;; *[!0-9]*|"") echo "bench: bad size $1" >&2; exit 2 ;; *) echo "$v" ;;
  esac
}
file_bytes=$(bytes_of "$size")
[ "$(id -u)" = 0 ] || { echo "bench: needs root (network namespaces, tc, nft)" >&2; exit 2; }

log() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }

for cmd in ip tc nft sftp scp ssh-keygen ssh-keyscan sha256sum java; do
  command -v "$cmd" >/dev/null || die "missing $cmd (apt-get install -y iproute2 nftables openssh-client)"
done
[ -x /usr/bin/time ] || die "missing /usr/bin/time (apt-get install -y time)"

# ---------------------------------------------------------------- build
if [ $build = 1 ]; then
  log "building host, plugin, client and bench jars (mvn -B -q -DskipTests package)"
  (cd "$repo" && mvn -B -q -DskipTests package -pl host-sftp-demo,mpft-plugin,mpft-cli,bench -am) >&2 \
    || die "build failed"
fi
host_jar=$(ls "$repo"/host-sftp-demo/target/host-sftp-demo-*-all.jar 2>/dev/null | head -1)
plugin_jar=$(ls "$repo"/mpft-plugin/target/mpft-plugin-*.jar 2>/dev/null | grep -v '/original-' | head -1)
cli_jar=$(ls "$repo"/mpft-cli/target/mpft-cli-*-all.jar 2>/dev/null | head -1)
report_jar="$bench/target/mpft-benchmarks.jar"
[ -n "$host_jar" ] || die "no host-sftp-demo/target/host-sftp-demo-*-all.jar"
[ -f "$report_jar" ] || die "no $report_jar"
[ -n "$plugin_jar" ] || log "no mpft plugin jar: the mpft runs will be recorded as failed"
[ -n "$cli_jar" ] || log "no mpft client jar: the mpft runs will be recorded as failed"

# ---------------------------------------------------------------- work folders
work="${BENCH_WORK:-$bench/results/work}"
stamp=$(date +%Y%m%d-%H%M%S)
results_dir="$bench/results"
results="$results_dir/$stamp-$mode.tsv"
inst="$work/instances"         # per-run: configs, state, logs, known_hosts (fresh each time)
data="$work/data"              # the shared data folder (both namespaces see it: same file system)
out="${BENCH_OUT:-$work/out}"   # where every tool writes its download (BENCH_OUT=/dev/shm/x: no disk)
mkdir -p "$results_dir" "$data/bench" "$out"
rm -rf "$inst"; mkdir -p "$inst"
key="$inst/id_ed25519"
# snapshot the jars: other builds in the same tree must not swap them under a running benchmark
mkdir -p "$inst/jars"
for v in host_jar plugin_jar cli_jar report_jar; do
  if [ -n "${!v}" ]; then cp "${!v}" "$inst/jars/"; printf -v "$v" '%s' "$inst/jars/$(basename "${!v}")"; fi
done
ssh-keygen -q -t ed25519 -N '' -C bench -f "$key"
secret="$inst/cluster.secret"; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$secret"; chmod 600 "$secret"
ssh_known="$inst/ssh_known_hosts"; : > "$ssh_known"
mpft_known="$inst/mpft_known_hosts"
rclone_conf="$inst/rclone.conf"; : > "$rclone_conf"

# the source file(s): random, made once, kept in the data folder with their SHA-256
make_file() {  # make_file BYTES -> prints the file's name (relative to the user's home)
  local n=$1 name="bench-$1.bin"
  if [ ! -f "$data/bench/$name" ] || [ ! -f "$data/bench/$name.sha256" ] || [ "$(stat -c %s "$data/bench/$name")" != "$n" ]; then
    log "creating $name ($n random bytes)"
    head -c "$n" /dev/urandom > "$data/bench/$name.tmp" && mv "$data/bench/$name.tmp" "$data/bench/$name"
    sha256sum "$data/bench/$name" | cut -d' ' -f1 > "$data/bench/$name.sha256"
  fi
  cat "$data/bench/$name" > /dev/null   # into the page cache, for every tool alike
  echo "$name"
}

# ---------------------------------------------------------------- servers
declare -A pid_of=()      # instance -> server JVM pid
declare -A ns_of=()       # instance -> namespace ("" = none)
declare -A up_of=()       # instance -> 1 when it serves
users_file="$inst/users.properties"

host_config() {  # host_config NAME SFTP_BIND SFTP_PORT MPFT_BIND MPFT_PORT [extra plugin lines...]
  local name=$1 sbind=$2 sport=$3 mbind=$4 mport=$5; shift 5
  local d="$inst/$name"
  mkdir -p "$d/plugins" "$d/state"
  cat > "$d/host.properties" <<EOF
sftp.bind=$sbind
sftp.port=$sport
data.dir=$data
users.file=$users_file
plugins.dir=$d/plugins
host.key=$d/host.key
state.dir=$d/state
EOF
  { echo "mpft.bind=$mbind"; echo "mpft.port=$mport"; echo "mpft.name=$name"; for l in "$@"; do echo "$l"; done; } \
    > "$d/plugins/plugin.properties"
  [ -z "$plugin_jar" ] || cp "$plugin_jar" "$d/plugins/"
}

launch_host() {  # launch_host NAME NAMESPACE: starts the JVM in the background
  local name=$1 ns=$2 d="$inst/$1" pfx=()
  [ -z "$ns" ] || pfx=(ip netns exec "$ns")
  # ip netns exec execs its command: $! is the JVM itself
  "${pfx[@]}" java ${BENCH_SERVER_JAVA_OPTS:-} -jar "$host_jar" --config "$d/host.properties" > "$d/host.log" 2>&1 &
  pid_of[$name]=$!; ns_of[$name]=$ns; up_of[$name]=0
}

wait_host() {  # wait_host NAME SFTP_ADDR SFTP_PORT MPFT_PORT: until it serves SFTP and mpft (60 s at most)
  local name=$1 addr=$2 sport=$3 mport=$4 d="$inst/$1" pfx=() ns=${ns_of[$1]}
  [ -z "$ns" ] || pfx=(ip netns exec "$ns")
  local i
  for i in $(seq 120); do
    kill -0 "${pid_of[$name]}" 2>/dev/null || { log "$name: host exited: $(tail -3 "$d/host.log" | tr '\n' ' ')"; return 1; }
    # the host keeps serving SFTP when its plugin refuses to start: that instance is of no use for mpft
    if [ -n "$plugin_jar" ] && grep -q "failed to start" "$d/host.log"; then
      log "$name: the mpft plugin did not start: $(grep -m1 -o "failed to start: .*" "$d/host.log" | cut -c1-300)"
      return 1
    fi
    if "${pfx[@]}" ss -Htln "sport = :$sport" | grep -q . ; then
      if [ -z "$plugin_jar" ] || "${pfx[@]}" ss -Hlun "sport = :$mport" | grep -q . ; then
        up_of[$name]=1
        "${pfx[@]}" ssh-keyscan -p "$sport" -t ecdsa "$addr" 2>/dev/null >> "$ssh_known"
        log "$name up (pid ${pid_of[$name]}${ns:+, ns $ns}, sftp $addr:$sport, mpft udp :$mport)"
        return 0
      fi
    fi
    sleep 0.5
  done
  log "$name: not serving after 60 s: $(tail -3 "$d/host.log" | tr '\n' ' ')"
  return 1
}

stop_hosts() {
  local name pid
  for name in "${!pid_of[@]}"; do
    pid=${pid_of[$name]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null && log "$name: killed after 10 s"
    wait "$pid" 2>/dev/null
    unset "pid_of[$name]"
  done
}

bed_up=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_hosts
  if [ $bed_up = 1 ] || ip netns list 2>/dev/null | grep -qw mpftC; then "$bed" noloss >/dev/null 2>&1; "$bed" down; fi
  rm -f "$out"/bench-* 2>/dev/null
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

cpu_ticks() {  # user + system clock ticks of the given pids (0 for a gone pid)
  local t=0 p s
  for p in "$@"; do
    s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    s=${s##*) }                      # fields after the command name: state is field 3
    set -- $s
    t=$(( t + ${12} + ${13} ))       # utime (14) + stime (15)
  done
  echo $t
}
clk_tck=$(getconf CLK_TCK)

# ---------------------------------------------------------------- one measured download
failures=0; mismatches=0
declare -A rate1_of=() rate2_of=()

sanitize() { tr '\t\n\r' '   ' | cut -c1-200 | sed 's/^ *$/-/; s/^$/-/'; }

# download SCENARIO TOOL RUN FILE CLIENT_NS H_SOLO H_PRIMARY -> appends a record (RUN=0: warm-up, not recorded)
download() {
  local scen=$1 tool=$2 run=$3 file=$4 cns=$5 hsolo=$6 hprim=$7
  local pfx=() servers=() dest="$out/$file" tf="$inst/time.out" lf="$inst/client.log" cmd=() note="-" paths="-"
  [ -z "$cns" ] || pfx=(ip netns exec "$cns")
  local ssh_opts=(-F /dev/null -i "$key" -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$ssh_known"
    -o Compression=no -o LogLevel=ERROR)
  rm -f "$dest" "$dest".mpft-*
  case $tool in
    mpft-single|mpft-alternate|mpft-adaptive)
      local inst_name=solo host=$hsolo port=7300 strat=()
      if [ "$tool" != mpft-single ]; then inst_name=primary; host=$hprim; port=7301; strat=(--strategy "${tool#mpft-}"); fi
      servers=("${pid_of[$inst_name]:-}"); [ "$inst_name" = primary ] && servers+=("${pid_of[secondary]:-}")
      if [ -z "$cli_jar" ] || [ "${up_of[$inst_name]:-0}" != 1 ] || { [ "$inst_name" = primary ] && [ "${up_of[secondary]:-0}" != 1 ]; }; then
        note="not run: ${tool} needs the mpft client and the $inst_name instance$([ "$inst_name" = primary ] && echo ' + secondary'), which are not available"
        record "$scen" "$tool" "$run" 0 0 0 0 fail - "$note"; return
      fi
      # through bin/mpft, so the client runs with the JVM options a user gets
      cmd=(env MPFT_JAR="$cli_jar" JAVA_OPTS="${BENCH_CLIENT_JAVA_OPTS:-}" "$repo/bin/mpft" get --json -q "${strat[@]}" -i "$key" --accept-new
        --known-hosts "$mpft_known" "bench@$host:$port:$file" -o "$dest") ;;
    sftp|sftp-gcm)
      local extra=(); [ "$tool" = sftp-gcm ] && extra=(-o Ciphers=aes128-gcm@openssh.com)
      printf 'get /%s %s\n' "$file" "$dest" > "$inst/sftp.batch"
      servers=("${pid_of[solo]:-}")
      cmd=(sftp -q "${ssh_opts[@]}" "${extra[@]}" -P 2222 -b "$inst/sftp.batch" "bench@$hsolo") ;;
    scp)   # OpenSSH >= 9.0 scp speaks the SFTP protocol; the host offers no legacy scp (-O)
      servers=("${pid_of[solo]:-}")
      cmd=(scp -q "${ssh_opts[@]}" -P 2222 "bench@$hsolo:/$file" "$dest") ;;
    lftp-pget4)
      servers=("${pid_of[solo]:-}")
      cmd=(lftp -c "set sftp:connect-program 'ssh -a -x ${ssh_opts[*]}'; set net:max-retries 1; set xfer:clobber on;
        open -u bench, sftp://$hsolo:2222; pget -n 4 /$file -o $dest") ;;
    rclone-4)
      servers=("${pid_of[solo]:-}")
      cmd=(rclone copyto --config "$rclone_conf" --multi-thread-streams 4 --multi-thread-cutoff 1M --retries 1
        --low-level-retries 1 --no-check-dest --ignore-times
        ":sftp,host=$hsolo,port=2222,user=bench,key_file=$key,known_hosts_file=$ssh_known,shell_type=none,disable_hashcheck=true:$file" "$dest") ;;
    *) die "unknown tool $tool" ;;
  esac
  if [[ $tool != mpft-* ]] && [ "${up_of[solo]:-0}" != 1 ]; then
    record "$scen" "$tool" "$run" 0 0 0 0 fail - "not run: the solo instance is not serving"; return
  fi
  local c0 c1 t0 t1 rc
  c0=$(cpu_ticks "${servers[@]}")
  t0=$(date +%s%N)
  "${pfx[@]}" /usr/bin/time -o "$tf" -f '%U %S %M' "${cmd[@]}" > "$lf" 2>&1 < /dev/null
  rc=$?
  t1=$(date +%s%N)
  c1=$(cpu_ticks "${servers[@]}")
  local wall user sys rss srv status=ok transfer=0
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1e9}')
  read -r user sys rss < <(grep -E '^[0-9.]+ [0-9.]+ [0-9]+$' "$tf" | tail -1)
  srv=$(awk -v a="$c0" -v b="$c1" -v t="$clk_tck" 'BEGIN{printf "%.3f", (b-a)/t}')
  local cli
  cli=$(awk -v u="${user:-0}" -v s="${sys:-0}" 'BEGIN{printf "%.3f", u+s}')
  if [ $rc != 0 ]; then
    status=fail; note="exit $rc: $(grep -v '^Command exited' "$lf" | tail -2 | sanitize)"
    cp "$lf" "$results_dir/$stamp-failed-$scen-$tool-$run.log"   # the whole client output, for the record
  elif [ ! -f "$dest" ] || [ "$(sha256sum "$dest" | cut -d' ' -f1)" != "$(cat "$data/bench/$file.sha256")" ]; then
    status=sha-mismatch; note="downloaded file differs from the source"
  fi
  if [[ $tool == mpft-* ]] && [ $rc = 0 ]; then
    paths=$(tail -1 "$lf" | grep -o '"role":"[a-z]*","chunks":[0-9]*,"bytes":[0-9]*' \
      | sed -E 's/"role":"([a-z]*)","chunks":([0-9]*),"bytes":([0-9]*)/\1:\2:\3/' | paste -sd, -)
    [ -n "$paths" ] || paths="-"
    # the client's own clock (elapsedMs: connection to the last chunk, without the JVM's start)
    transfer=$(tail -1 "$lf" | grep -o '"elapsedMs":[0-9]*' | head -1 | awk -F: '{printf "%.3f", $2 / 1000}')
    [ -n "$transfer" ] || transfer=0
  fi
  rm -f "$dest" "$dest".mpft-*
  record "$scen" "$tool" "$run" "$wall" "$cli" "$srv" "${rss:-0}" "$status" "$paths" "$note" "$transfer"
}

record() {  # record SCEN TOOL RUN WALL CLIENT_CPU SERVER_CPU RSS STATUS PATHS NOTE [TRANSFER] (RUN 0: a warm-up, not recorded)
  local scen=$1 tool=$2 run=$3 wall=$4 cli=$5 srv=$6 rss=$7 status=$8 paths=$9 note
  if [ "$run" = 0 ]; then log "  warm-up $tool: $status ${10}"; return; fi
  note=$(printf '%s' "${10}" | sanitize)
  local r1=${rate1_of[$scen]:-0} r2=${rate2_of[$scen]:-0} fb=$file_bytes
  [ "$scen" = memory-4g ] && fb=$((4 * 1024 * 1024 * 1024))
  [ "$scen" = memory-1g ] && fb=$((1024 * 1024 * 1024))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$scen" "$tool" "$run" "$fb" "$wall" "$cli" \
    "$srv" "$rss" "$r1" "$r2" "$status" "$paths" "$note" "${11:-0}" >> "$results"
  local mbs
  mbs=$(awk -v b="$fb" -v w="$wall" 'BEGIN{ if (w > 0) printf "%.1f", b/1e6/w; else print "-" }')
  case $status in
    ok) log "  $scen $tool #$run: $mbs MB/s (${wall}s$([ "${11:-0}" = 0 ] || echo ", transfer ${11}s"), client cpu ${cli}s, server cpu ${srv}s, rss ${rss} KiB)$([ "$paths" = - ] || echo " $paths")" ;;
    sha-mismatch) mismatches=$((mismatches + 1)); log "  $scen $tool #$run: SHA-256 MISMATCH" ;;
    *) failures=$((failures + 1)); log "  $scen $tool #$run: FAILED: $note" ;;
  esac
}

# run_scenario SCEN FILE CLIENT_NS H_SOLO H_PRIMARY TOOL... : RUNS rounds, order reversed every other round
run_scenario() {
  local scen=$1 file=$2 cns=$3 hsolo=$4 hprim=$5; shift 5
  local list=("$@") r i order
  log "scenario $scen (${rate1_of[$scen]:-0} + ${rate2_of[$scen]:-0} Mbit/s; 0 = unshaped): ${list[*]}, $runs run(s)"
  for r in $(seq "$runs"); do
    if [ $((r % 2)) = 1 ]; then order=("${list[@]}"); else order=(); for ((i=${#list[@]}-1; i>=0; i--)); do order+=("${list[$i]}"); done; fi
    for t in "${order[@]}"; do download "$scen" "$t" "$r" "$file" "$cns" "$hsolo" "$hprim"; done
  done
}

has_tool() { [[ ",$tools," == *",$1,"* ]]; }
has_scen() { [[ ",$scenarios," == *",$1,"* ]]; }
selected() { local t out=(); for t in "$@"; do has_tool "$t" && out+=("$t"); done; echo "${out[@]}"; }
warm_up() {  # warm_up FILE CLIENT_NS H_SOLO H_PRIMARY: one unrecorded download per selected mpft tool, and sftp
  # The servers are long-running JVMs: until their JIT has compiled the send path they spend more CPU on it than the
  # transfer itself, and on 2 cores that CPU is taken from the client. Every mpft strategy warms its own code.
  local t
  for t in mpft-single mpft-alternate mpft-adaptive; do
    if [ $t = mpft-single ] || has_tool $t; then download warm $t 0 "$1" "$2" "$3" "$4"; fi
  done
  download warm sftp 0 "$1" "$2" "$3" "$4"
}
for t in lftp-pget4 rclone-4; do
  cmd=${t%%-*}
  if has_tool "$t" && ! command -v "$cmd" >/dev/null; then log "no $cmd: skipping $t (apt-get install -y $cmd)"; tools=${tools//$t/}; fi
done

# ---------------------------------------------------------------- facts
{
  echo "# date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# mode=$mode"
  echo "# commit=$(cd "$repo" && git rev-parse --short HEAD)$(cd "$repo" && git diff --quiet HEAD -- . 2>/dev/null || echo '+dirty')"
  echo "# cpus=$(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
  echo "# memory=$(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "# kernel=$(uname -r)"
  echo "# jdk=$(java -version 2>&1 | head -1)"
  echo "# openssh=$(ssh -V 2>&1)"
  command -v lftp >/dev/null && echo "# lftp=$(lftp --version | head -1 | sed 's/ | Copyright.*//')"
  command -v rclone >/dev/null && echo "# rclone=$(rclone version 2>/dev/null | head -1)"
  echo "# load.start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# file.bytes=$file_bytes"
  echo "# output=$(df --output=fstype "$out" | tail -1 | tr -d ' ') ($out)"
  echo "# runs=$runs"
  cols=(scenario tool run bytes wall_s client_cpu_s server_cpu_s client_rss_kib rate1_mbit rate2_mbit status paths note
    transfer_s)
  (IFS=$'\t'; echo "${cols[*]}")
} > "$results"

# ---------------------------------------------------------------- users
host_config solo 127.0.0.1 2222 127.0.0.1 7300   # a config for the admin command (rewritten below)
BENCH_PASSWORD=$(head -c 18 /dev/urandom | base64) \
  java -jar "$host_jar" user add --config "$inst/solo/host.properties" bench --password-env BENCH_PASSWORD \
  --authorized-keys "$key.pub" >&2 || die "user add failed"
mkdir -p "$data/bench"

# ---------------------------------------------------------------- memory mode
if [ "$mode" = memory ]; then
  f1=$(make_file $((1024 * 1024 * 1024))); f4=$(make_file $((4 * 1024 * 1024 * 1024)))
  # one fixed chunk size, the largest the server picks by default (16 MiB: the client's worst case), for both
  # files: the client's buffers are chunks in flight x chunk size, and the server picks the size from the
  # path's measured speed and keeps a file's size for resumes, so with the automatic choice the comparison
  # measured which chunk size each file happened to get (8 MiB for the 1 GiB file after a slower run, 16 MiB
  # for the 4 GiB one after a faster run), not file size
  host_config solo 127.0.0.1 2222 127.0.0.1 7300 mpft.chunk-size=16m
  launch_host solo ""; wait_host solo 127.0.0.1 2222 7300 || die "the solo host did not start"
  warm_up "$(make_file 100000000)" "" 127.0.0.1 127.0.0.1
  for r in $(seq "$runs"); do
    download memory-1g mpft-single "$r" "$f1" "" 127.0.0.1 127.0.0.1
    download memory-4g mpft-single "$r" "$f4" "" 127.0.0.1 127.0.0.1
  done
  stop_hosts
fi

# ---------------------------------------------------------------- the two-path bed
file=""; warm_file=""
if [ "$mode" != memory ]; then
  file=$(make_file "$file_bytes")
  # warm-up: 100 MB (decimal: never the measured file, whose digests the servers have not seen yet), in quick
  # mode too (with 32 MB the first measured multi-path runs met servers whose JIT was still compiling, and came
  # out no faster than single path)
  warm_file=$(make_file 100000000)
fi
bed_scen=""; for s in equal unequal loss; do has_scen $s && bed_scen+="$s "; done
if [ "$mode" != memory ] && [ -n "$bed_scen" ]; then
  ip netns list | grep -qw mpftC && { log "a bed is up from an earlier run: taking it down"; "$bed" down; }
  "$bed" up 200mbit 200mbit >&2 || die "testbed up failed"; bed_up=1
  host_config solo 10.77.1.1 2222 10.77.1.1 7300
  host_config primary 10.77.1.1 2223 0.0.0.0 7301 mpft.role=primary mpft.secondaries=10.77.9.2:7301 \
    "mpft.cluster.secret-file=$secret" mpft.advertise-address=10.77.1.1:7301
  host_config secondary 10.77.2.1 2223 0.0.0.0 7301 mpft.role=secondary "mpft.cluster.secret-file=$secret" \
    mpft.cluster.accept-primaries=10.77.9.1 mpft.advertise-address=10.77.2.1:7301
  # solo and secondary start side by side; the primary after its secondary, so its cluster link comes up at once
  launch_host solo mpftP
  if has_tool mpft-alternate || has_tool mpft-adaptive; then
    launch_host secondary mpftS
    wait_host secondary 10.77.2.1 2223 7301 && launch_host primary mpftP && wait_host primary 10.77.1.1 2223 7301
  fi
  wait_host solo 10.77.1.1 2222 7300
  warm_up "$warm_file" mpftC 10.77.1.1 10.77.1.1
  all=$(selected mpft-single mpft-alternate mpft-adaptive sftp sftp-gcm scp lftp-pget4 rclone-4)
  if has_scen equal; then
    rate1_of[equal]=200; rate2_of[equal]=200
    # shellcheck disable=SC2086
    run_scenario equal "$file" mpftC 10.77.1.1 10.77.1.1 $all
  fi
  if has_scen unequal; then
    rate1_of[unequal]=300; rate2_of[unequal]=100
    "$bed" rate 300mbit 100mbit
    # shellcheck disable=SC2086
    run_scenario unequal "$file" mpftC 10.77.1.1 10.77.1.1 $all
    "$bed" rate 200mbit 200mbit
  fi
  if has_scen loss; then
    rate1_of[loss]=200; rate2_of[loss]=200
    # segmentation offload off on the lossy path, so that nftables drops 1% of packets, not of 64 KiB
    # GSO/TSO bursts (the bed's NOGSO=1, for this path and scenario only)
    offload=(tso gso tx-udp-segmentation)
    if command -v ethtool >/dev/null; then
      for o in "${offload[@]}"; do ip netns exec mpftP ethtool -K p1 "$o" off 2>/dev/null; done
    else
      log "no ethtool: loss applies per GSO/TSO segment burst, not per packet (apt-get install -y ethtool)"
    fi
    "$bed" loss 1 0
    # shellcheck disable=SC2086
    run_scenario loss "$file" mpftC 10.77.1.1 10.77.1.1 $(selected mpft-adaptive sftp)
    "$bed" noloss
    command -v ethtool >/dev/null && for o in "${offload[@]}"; do ip netns exec mpftP ethtool -K p1 "$o" on 2>/dev/null; done
  fi
  stop_hosts
  "$bed" down; bed_up=0
fi

# ---------------------------------------------------------------- loopback
if [ "$mode" != memory ] && has_scen loopback; then
  host_config solo 127.0.0.1 2222 127.0.0.1 7300
  host_config primary 127.0.0.1 2223 127.0.0.1 7301 mpft.role=primary mpft.secondaries=127.0.0.1:7302 \
    "mpft.cluster.secret-file=$secret" mpft.advertise-address=127.0.0.1:7301
  host_config secondary 127.0.0.1 2224 127.0.0.1 7302 mpft.role=secondary "mpft.cluster.secret-file=$secret" \
    mpft.cluster.accept-primaries=127.0.0.1 mpft.advertise-address=127.0.0.1:7302
  launch_host solo ""
  if has_tool mpft-alternate || has_tool mpft-adaptive; then
    launch_host secondary ""
    wait_host secondary 127.0.0.1 2224 7302 && launch_host primary "" && wait_host primary 127.0.0.1 2223 7301
  fi
  wait_host solo 127.0.0.1 2222 7300
  warm_up "$warm_file" "" 127.0.0.1 127.0.0.1
  rate1_of[loopback]=0; rate2_of[loopback]=0
  # shellcheck disable=SC2086
  run_scenario loopback "$file" "" 127.0.0.1 127.0.0.1 $(selected mpft-single mpft-alternate mpft-adaptive sftp sftp-gcm scp lftp-pget4 rclone-4)
  stop_hosts
fi

# ---------------------------------------------------------------- capped loopback (issue 3's benchmark)
# Both paths on loopback, each instance capped by its own mpft.max-send-rate: the multi-path goals without
# the bed (no root needed for the servers) and with the network out of the way. capped-equal: 20 + 20 MB/s;
# capped-unequal: 20 MB/s on the primary (and the solo host), 60 MB/s on the secondary.
capped_scenario() {  # capped_scenario SCEN RATE1_BYTES RATE2_BYTES
  local scen=$1 r1=$2 r2=$3
  host_config solo 127.0.0.1 2222 127.0.0.1 7300 mpft.max-send-rate=$r1
  host_config primary 127.0.0.1 2223 127.0.0.1 7301 mpft.role=primary mpft.secondaries=127.0.0.1:7302 \
    "mpft.cluster.secret-file=$secret" mpft.advertise-address=127.0.0.1:7301 mpft.max-send-rate=$r1
  host_config secondary 127.0.0.1 2224 127.0.0.1 7302 mpft.role=secondary "mpft.cluster.secret-file=$secret" \
    mpft.cluster.accept-primaries=127.0.0.1 mpft.advertise-address=127.0.0.1:7302 mpft.max-send-rate=$r2
  launch_host solo ""
  launch_host secondary ""
  wait_host secondary 127.0.0.1 2224 7302 && launch_host primary "" && wait_host primary 127.0.0.1 2223 7301
  wait_host solo 127.0.0.1 2222 7300
  warm_up "$warm_file" "" 127.0.0.1 127.0.0.1
  rate1_of[$scen]=$((r1 * 8 / 1000000)); rate2_of[$scen]=$((r2 * 8 / 1000000))
  # shellcheck disable=SC2086
  run_scenario "$scen" "$file" "" 127.0.0.1 127.0.0.1 $(selected mpft-single mpft-alternate mpft-adaptive)
  stop_hosts
}
if [ "$mode" != memory ] && has_scen capped-equal; then capped_scenario capped-equal 20000000 20000000; fi
if [ "$mode" != memory ] && has_scen capped-unequal; then capped_scenario capped-unequal 20000000 60000000; fi

# ---------------------------------------------------------------- report
echo "# load.end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$results"
report_args=(--markdown "${results%.tsv}.md" --chart "${results%.tsv}.png")
[ -z "$doc" ] || report_args+=(--doc "$doc")
[ "$mode" = quick ] && report_args+=(--gate)
log "results: $results"
java -Djava.awt.headless=true -cp "$report_jar" org.mpft.bench.report.ReportMain "${report_args[@]}" "$results"
rc=$?
log "report: ${results%.tsv}.md, chart: ${results%.tsv}.png"
[ $failures = 0 ] || log "$failures run(s) failed (see the note column)"
if [ $mismatches != 0 ]; then log "$mismatches download(s) did not match the source"; exit 4; fi
exit $rc
