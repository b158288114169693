#!/usr/bin/env bash
# bench/run.sh — mpft against the tools people use today, on two real rate-limited paths (docs/BENCHMARKS.md).
#
#   sudo bench/run.sh            full run: every scenario below, 1 GiB file, 3 runs per tool (about two hours)
#   sudo bench/run.sh --quick    100 MB, 1 run, mpft + OpenSSH sftp only (< 5 min); exits 3 unless mpft
#                                multi-path (one strategy at least) beats mpft single path on the equal-rate
#                                bed, over the transfer as the client times it (CI runs this, .ci/run)
#   sudo bench/run.sh --memory   client peak RSS, mpft single path on loopback: 1 GiB vs 4 GiB file (16 MiB chunks)
#   sudo bench/run.sh --rates 200,200 --delays 10,100 [--loss 1,0]
#                                one bed of your own (Mbit/s, one-way ms of the download direction, % per path):
#                                scenario "bed", mpft default + single + sftp (add --scenarios to run more)
#
# Options: --runs N, --size BYTES (e.g. 8m, 256m, 1g), --scenarios LIST, --tools LIST, --no-build (use the jars
#   in */target as they are), --doc FILE (update the generated part of FILE), --warm BYTES (the warm-up file,
#   default 100000000), --small-runs N (1 kB scenario, default 10), --small-size BYTES (default 1000),
#   --memory-sizes 1g,4g, --shaped-rate MBIT (default 200), --dead-signal STOP|KILL (default STOP),
#   --cc bbr|cubic|reno (every instance's mpft.congestion-control; default: the plugin's default),
#   --tree-files N (2000), --tree-min BYTES (4096), --tree-max BYTES (2097152), --tree-seed N (1),
#   --tree-warm-files N (the warm-up tree, unrecorded: default as many files as the tree; 0: none),
#   --tree-warm-rounds N (how many times each tool fetches the warm-up tree before the measured runs: 6),
#   --tree-tools mpft-default,scp-r,sftp-r,lftp-mirror4,rclone-copy4 (and mpft-single: the host without a
#   secondary, for what the second path costs or gives).
# Environment: BENCH_WORK (default bench/results/work: the source files, instances, downloads);
#   BENCH_OUT (default $BENCH_WORK/out: where the downloads are written, e.g. a tmpfs to take the disk out);
#   BENCH_TREE_MPFT_OPTS (extra options of mpft get -r in the tree scenarios, e.g. "--sessions 4");
#   BENCH_PLUGIN_PROPS (extra plugin settings of every instance, key=value separated by spaces, e.g.
#   "mpft.checksum=sha256").
#
# Scenarios (the bed is bench/testbed.sh, a copy of the team's shared two-path bed; rates in Mbit/s per path):
#   equal 200 + 200 | unequal 300 + 100 | fast 500 + 500 (the client's CPU is the limit)
#   lossy-long 200 + 200, 40 ms RTT each, 1% loss on path 1 | long 200 + 200, 100 ms each | mixed-rtt 10 and 100 ms
#   shaped     one path, 200 Mbit/s: mpft single path vs the tbf rate vs sftp
#   loopback   no namespaces, no shaping, 127.0.0.1: mpft single vs sftp vs sftp with aes128-gcm
#   small      a 1 kB file on loopback, --small-runs runs (median of 10): mpft (with a secondary, and solo) vs sftp
#   dead-secondary  loopback: the secondary stopped, then at once an mpft download from its primary, against one
#              from a host without secondaries; and the seconds until the primary's log says the link is down
#   memory     client peak RSS, mpft single path on loopback, one file per --memory-sizes
#   tree-loopback, tree-equal  a tree of --tree-files files (log-uniform sizes, nested folders, fixed seed) on
#              loopback and on the 200 + 200 bed: mpft get -r vs scp -r, sftp get -r, lftp mirror --parallel=4,
#              rclone copy --transfers 4; every result checked with a tree digest
#   (not in the default run) tree-unequal: the tree on 300 + 100 (the primary's path the faster);
#              loss 200 + 200, 1% on path 1, no delay; capped-equal, capped-unequal: loopback with
#   each instance capped by mpft.max-send-rate (20 + 20, 20 + 60 MB/s)
# Tools: mpft-default (mpft get, no strategy option, primary + secondary), mpft-single (a host without
#   secondaries), mpft-alternate, mpft-adaptive, sftp, sftp-gcm, scp, lftp-pget4, rclone-4. A full run without
#   --tools runs each scenario's own set; with --tools, the chosen ones that the scenario allows.
# Servers: the demo host (MINA SSHD + the mpft plugin) in three instances sharing one data folder:
#   solo       mpftP (or loopback), SFTP :2222, mpft :7300, no secondaries: mpft single path and every peer
#   primary    mpftP, SFTP :2223, mpft :7301, secondary at 10.77.9.2:7301 over the back-end link
#   secondary  mpftS, SFTP :2223, mpft :7301, advertised to clients on path 2
# Every download is verified (SHA-256 or tree digest against the source). Servers are stopped and the bed taken
# down on exit, whatever happens. Only the bed's namespaces (10.77.x) and loopback are used.
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
mode=full; runs=3; size=1g
scenarios="equal,unequal,fast,lossy-long,long,mixed-rtt,shaped,loopback,small,dead-secondary,memory,tree-loopback,tree-equal"
tools="mpft-default,mpft-single,sftp"
build=1; doc=""; runs_set=0; size_set=0; scen_set=0; tools_set=0
warm_bytes=100000000; small_runs=10; small_bytes=1000; memory_sizes=1g,4g; shaped_rate=200; dead_signal=STOP; cc=""
tree_files=2000; tree_warm_files=; tree_warm_rounds=6; tree_min=4096; tree_max=2097152; tree_seed=1; tree_tools=mpft-default,scp-r,sftp-r,lftp-mirror4,rclone-copy4
rates=(); delays=(0 0); losses=(0 0)
pair() {  # pair ARRAY OPTION VALUE: ARRAY=(A B) from "A,B" (two numbers, a unit suffix such as mbit or ms dropped)
  local -n into=$1; local a b
  IFS=, read -r a b <<< "$3"; a=${a%%[a-z]*}; b=${b%%[a-z]*}
  [[ $a =~ ^[0-9]+([.][0-9]+)?$ && $b =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "bench: $2 needs two numbers, A,B (got '$3')" >&2; exit 2; }
  into=("$a" "$b")
}
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
    --rates) pair rates "$1" "${2:-}"; shift ;;
    --delays) pair delays "$1" "${2:-}"; shift ;;
    --loss) pair losses "$1" "${2:-}"; shift ;;
    --warm) warm_bytes="$2"; shift ;;
    --small-runs) small_runs="$2"; shift ;;
    --small-size) small_bytes="$2"; shift ;;
    --memory-sizes) memory_sizes="$2"; shift ;;
    --shaped-rate) shaped_rate="${2%%[a-z]*}"; shift ;;
    --dead-signal) dead_signal="${2#SIG}"; shift ;;
    --cc) cc="$2"; shift ;;
    --tree-files) tree_files="$2"; shift ;;
    --tree-min) tree_min="$2"; shift ;;
    --tree-max) tree_max="$2"; shift ;;
    --tree-seed) tree_seed="$2"; shift ;;
    --tree-warm-files) tree_warm_files="$2"; shift ;;
    --tree-warm-rounds) tree_warm_rounds="$2"; shift ;;
    --tree-tools) tree_tools="$2"; shift ;;
    -h|--help) sed -n '2,50p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$mode" = quick ]; then
  [ $runs_set = 1 ] || runs=1
  [ $size_set = 1 ] || size=100m
  [ $scen_set = 1 ] || scenarios="equal,unequal,loss,loopback,capped-equal,capped-unequal"
  [ $tools_set = 1 ] || tools="mpft-single,mpft-alternate,mpft-adaptive,sftp"
fi
if [ "$mode" = memory ]; then
  [ $runs_set = 1 ] || runs=1
  scenarios="memory"; tools="mpft-single"
fi
if [ ${#rates[@]} = 2 ]; then
  # a bed of one's own: that bed only, unless --scenarios names more
  if [ $scen_set = 1 ]; then scenarios="$scenarios,bed"; else scenarios=bed; fi
elif [ "${delays[*]}" != "0 0" ] || [ "${losses[*]}" != "0 0" ]; then
  echo "bench: --delays and --loss need --rates" >&2; exit 2
fi
case $dead_signal in STOP|KILL) ;; *) echo "bench: --dead-signal is STOP or KILL" >&2; exit 2 ;; esac
case $cc in ""|bbr|cubic|reno) ;; *) echo "bench: --cc is bbr, cubic or reno" >&2; exit 2 ;; esac
tree_warm_files=${tree_warm_files:-$tree_files}
for n in runs small_runs small_bytes tree_files tree_warm_files tree_warm_rounds tree_min tree_max tree_seed warm_bytes shaped_rate; do
  [[ ${!n} =~ ^[0-9]+$ ]] || { echo "bench: --${n//_/-} needs a whole number (got '${!n}')" >&2; exit 2; }
done
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

# one run at a time: the bed's namespaces and the work folder are shared by every run on this machine
exec 9> /tmp/mpft-bench.lock
flock -n 9 || die "another bench/run.sh is running (it holds /tmp/mpft-bench.lock)"

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
# snapshot the jars: other builds in the same tree must not swap them under a running benchmark. With their
# times kept, bin/mpft's caches (class archive or JDK 25 cache, natives: keyed by the jar's path, size and
# time) carry over from one run of the same build to the next instead of being recorded again
mkdir -p "$inst/jars"
for v in host_jar plugin_jar cli_jar report_jar; do
  if [ -n "${!v}" ]; then cp --preserve=timestamps "${!v}" "$inst/jars/"; printf -v "$v" '%s' "$inst/jars/$(basename "${!v}")"; fi
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

# ---------------------------------------------------------------- servers, downloads, scenarios
# shellcheck source=lib/hosts.sh
. "$bench/lib/hosts.sh"
# shellcheck source=lib/measure.sh
. "$bench/lib/measure.sh"
# shellcheck source=lib/tree.sh
. "$bench/lib/tree.sh"
# shellcheck source=lib/scenarios.sh
. "$bench/lib/scenarios.sh"
users_file="$inst/users.properties"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_hosts
  if [ -n "$bed_mode" ] || ip netns list 2>/dev/null | grep -qw mpftC; then "$bed" noloss >/dev/null 2>&1; "$bed" down; fi
  rm -rf "$out"/bench-* "$out"/tree-dl 2>/dev/null
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

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
  # the client's own Java: bin/mpft chooses it (JAVA_HOME, else a Java 25 or later when one is installed)
  [ -n "$cli_jar" ] && echo "# client-java=$(env MPFT_JAR="$cli_jar" MPFT_CDS=off MPFT_NATIVE_CACHE=off "$repo/bin/mpft" --version 2>&1 | sed -n 's/^Java //p' | head -1)"
  echo "# openssh=$(ssh -V 2>&1)"
  command -v lftp >/dev/null && echo "# lftp=$(lftp --version | head -1 | sed 's/ | Copyright.*//')"
  command -v rclone >/dev/null && echo "# rclone=$(rclone version 2>/dev/null | head -1)"
  echo "# load.start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# file.bytes=$file_bytes"
  echo "# output=$(df --output=fstype "$out" | tail -1 | tr -d ' ') ($out)"
  echo "# runs=$runs"
  echo "# congestion-control=${cc:-default}"
  echo "# plugin-props=${BENCH_PLUGIN_PROPS:-}"
  echo "# tree-mpft-opts=${BENCH_TREE_MPFT_OPTS:-}"
  echo "# tree-warm-up=$tree_warm_rounds x $tree_warm_files files per tool"
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

# ---------------------------------------------------------------- the files
file=""
[ "$mode" = memory ] || file=$(make_file "$file_bytes")
# warm-up: 100 MB by default (decimal: never the measured file, whose digests the servers have not seen yet),
# in quick mode too (with 32 MB the first measured multi-path runs met servers whose JIT was still compiling,
# and came out no faster than single path)
warm_file=$(make_file "$warm_bytes")
need_multi=0
if { [ "$mode" = full ] && [ "$tools_set" = 0 ]; } || has_tool mpft-default || has_tool mpft-alternate || has_tool mpft-adaptive \
  || { [[ ",$tree_tools," == *,mpft-default,* ]] && { has_scen tree-equal || has_scen tree-loopback; }; } \
  || has_scen small || has_scen dead-secondary; then need_multi=1; fi
bed_tools() {  # the tools of a two-path bed scenario
  scen_tools mpft-default mpft-single sftp -- mpft-single mpft-default mpft-alternate mpft-adaptive sftp sftp-gcm scp lftp-pget4 rclone-4
}

# ---------------------------------------------------------------- the two-path bed, no delay (direct mode)
# shellcheck disable=SC2046
if [ "$mode" != memory ]; then
  has_scen equal && bed_scenario equal 200 200 0 0 0 0 $(bed_tools)
  has_scen unequal && bed_scenario unequal 300 100 0 0 0 0 $(bed_tools)
  has_scen fast && bed_scenario fast 500 500 0 0 0 0 $(bed_tools)
  # shellcheck disable=SC2046
  has_scen shaped && bed_scenario shaped "$shaped_rate" 200 0 0 0 0 $(scen_tools mpft-single sftp -- mpft-single sftp sftp-gcm scp lftp-pget4 rclone-4)
  # the older loss scenario: no delay, 1% on path 1 (mpft adaptive vs OpenSSH sftp)
  # shellcheck disable=SC2046
  has_scen loss && bed_scenario loss 200 200 0 0 1 0 $(scen_tools mpft-default mpft-adaptive sftp -- mpft-default mpft-adaptive sftp)
  has_scen tree-equal && bed_tree tree-equal 200 200
  has_scen tree-unequal && bed_tree tree-unequal 300 100
  # the bed of --rates/--delays/--loss
  has_scen bed && bed_scenario bed "${rates[0]}" "${rates[1]}" "${delays[0]}" "${delays[1]}" "${losses[0]}" "${losses[1]}" $(bed_tools)
  # ------------------------------------------------------------ the two-path bed with delay (router mode)
  has_scen lossy-long && bed_scenario lossy-long 200 200 40 40 1 0 $(bed_tools)
  has_scen long && bed_scenario long 200 200 100 100 0 0 $(bed_tools)
  has_scen mixed-rtt && bed_scenario mixed-rtt 200 200 10 100 0 0 $(bed_tools)
  bed_down
fi

# ---------------------------------------------------------------- loopback
if [ "$mode" != memory ] && { has_scen loopback || has_scen small || has_scen tree-loopback || has_scen dead-secondary; }; then
  loopback_up
  rate1_of[loopback]=0; rate2_of[loopback]=0
  # shellcheck disable=SC2046
  has_scen loopback && run_scenario loopback "$file" "" 127.0.0.1 127.0.0.1 \
    $(scen_tools mpft-single sftp sftp-gcm -- mpft-single mpft-default mpft-alternate mpft-adaptive sftp sftp-gcm scp lftp-pget4 rclone-4)
  if has_scen small; then
    rate1_of[small]=0; rate2_of[small]=0
    # shellcheck disable=SC2046
    scen_runs=$small_runs run_scenario small "$(make_file "$small_bytes")" "" 127.0.0.1 127.0.0.1 \
      $(scen_tools mpft-default mpft-single sftp -- mpft-single mpft-default mpft-alternate mpft-adaptive sftp sftp-gcm scp lftp-pget4 rclone-4)
  fi
  if has_scen tree-loopback; then rate1_of[tree-loopback]=0; rate2_of[tree-loopback]=0; run_tree tree-loopback "" 127.0.0.1 127.0.0.1; fi
  has_scen dead-secondary && dead_secondary
  stop_hosts
fi

if [ "$mode" != memory ] && has_scen capped-equal; then capped_scenario capped-equal 20000000 20000000; fi
if [ "$mode" != memory ] && has_scen capped-unequal; then capped_scenario capped-unequal 20000000 60000000; fi
if has_scen memory; then IFS=, read -ra msizes <<< "$memory_sizes"; memory_scenario "${msizes[@]}"; fi

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
