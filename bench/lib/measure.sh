# bench/lib/measure.sh — one measured download and its record (sourced by bench/run.sh; uses its globals).
failures=0; mismatches=0
declare -A rate1_of=() rate2_of=()

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

sanitize() { tr '\t\n\r' '   ' | cut -c1-200 | sed 's/^ *$/-/; s/^$/-/'; }
ssh_opts() { echo -F /dev/null -i "$key" -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$ssh_known" \
  -o Compression=no -o LogLevel=ERROR; }

# mpft_cmd INSTANCE HOST PORT [get options...] -- the client through bin/mpft, so it runs with the JVM options a
# user gets (fills the array cmd)
mpft_cmd() {
  cmd=(env MPFT_JAR="$cli_jar" JAVA_OPTS="${BENCH_CLIENT_JAVA_OPTS:-}" "$repo/bin/mpft" get --json -q "$@" -i "$key"
    --accept-new --known-hosts "$mpft_known")
}

# mpft_instance TOOL -> the instance an mpft tool downloads from: solo (no secondaries) or primary
mpft_instance() { case $1 in mpft-single|mpft-primary-only) echo solo ;; *) echo primary ;; esac; }

# mpft_ready INSTANCE: the client jar is there and the instance (and the primary's secondary) serve
mpft_ready() {
  [ -n "$cli_jar" ] && [ "${up_of[$1]:-0}" = 1 ] && { [ "$1" != primary ] || [ "${up_of[secondary]:-0}" = 1 ]; }
}

# timed SCEN TOOL RUN CLIENT_NS SERVER_PIDS... -- runs "${cmd[@]}" under /usr/bin/time and sets
# t_rc t_wall t_cli t_srv t_rss (the client's output in $inst/client.log)
timed() {
  local cns=$1; shift
  local pfx=() tf="$inst/time.out" c0 c1 t0 t1
  [ -z "$cns" ] || pfx=(ip netns exec "$cns")
  c0=$(cpu_ticks "$@")
  t0=$(date +%s%N)
  "${pfx[@]}" /usr/bin/time -o "$tf" -f '%U %S %M' "${cmd[@]}" > "$inst/client.log" 2>&1 < /dev/null
  t_rc=$?
  t1=$(date +%s%N)
  c1=$(cpu_ticks "$@")
  local user sys
  t_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1e9}')
  read -r user sys t_rss < <(grep -E '^[0-9.]+ [0-9.]+ [0-9]+$' "$tf" | tail -1)
  t_srv=$(awk -v a="$c0" -v b="$c1" -v t="$clk_tck" 'BEGIN{printf "%.3f", (b-a)/t}')
  t_cli=$(awk -v u="${user:-0}" -v s="${sys:-0}" 'BEGIN{printf "%.3f", u+s}')
  t_rss=${t_rss:-0}
}

# fail_note SCEN TOOL RUN -> the note of a failed command (its last lines), the whole output kept beside the results
fail_note() {
  cp "$inst/client.log" "$results_dir/$stamp-failed-$1-$2-$3.log"
  echo "exit $t_rc: $(grep -v '^Command exited' "$inst/client.log" | tail -2 | sanitize)"
}

# download SCENARIO TOOL RUN FILE CLIENT_NS H_SOLO H_PRIMARY -> appends a record (RUN=0: warm-up, not recorded)
download() {
  local scen=$1 tool=$2 run=$3 file=$4 cns=$5 hsolo=$6 hprim=$7
  local servers=() dest="$out/$file" note="-" paths="-" so
  read -ra so <<< "$(ssh_opts)"
  rec_bytes=$(stat -c %s "$data/bench/$file")
  rm -f "$dest" "$dest".mpft-*
  case $tool in
    mpft-single|mpft-default|mpft-alternate|mpft-adaptive|mpft-primary-only|mpft-dead-secondary)
      local inst_name host port=7300 strat=()
      inst_name=$(mpft_instance "$tool"); host=$hsolo
      if [ "$inst_name" = primary ]; then host=$hprim; port=7301; fi
      case $tool in mpft-alternate|mpft-adaptive) strat=(--strategy "${tool#mpft-}") ;; esac
      servers=("${pid_of[$inst_name]:-}"); [ "$inst_name" = primary ] && servers+=("${pid_of[secondary]:-}")
      local ready=1
      if [ "$tool" = mpft-dead-secondary ]; then [ -n "$cli_jar" ] && [ "${up_of[primary]:-0}" = 1 ] || ready=0
      else mpft_ready "$inst_name" || ready=0; fi
      if [ $ready = 0 ]; then
        note="not run: ${tool} needs the mpft client and the $inst_name instance$([ "$inst_name" = primary ] && echo ' + secondary'), which are not available"
        record "$scen" "$tool" "$run" 0 0 0 0 fail - "$note"; return
      fi
      mpft_cmd "${strat[@]}"; cmd+=("bench@$host:$port:$file" -o "$dest") ;;
    sftp|sftp-gcm)
      local extra=(); [ "$tool" = sftp-gcm ] && extra=(-o Ciphers=aes128-gcm@openssh.com)
      printf 'get /%s %s\n' "$file" "$dest" > "$inst/sftp.batch"
      servers=("${pid_of[solo]:-}")
      cmd=(sftp -q "${so[@]}" "${extra[@]}" -P 2222 -b "$inst/sftp.batch" "bench@$hsolo") ;;
    scp)   # OpenSSH >= 9.0 scp speaks the SFTP protocol; the host offers no legacy scp (-O)
      servers=("${pid_of[solo]:-}")
      cmd=(scp -q "${so[@]}" -P 2222 "bench@$hsolo:/$file" "$dest") ;;
    lftp-pget4)
      servers=("${pid_of[solo]:-}")
      cmd=(lftp -c "set sftp:connect-program 'ssh -a -x ${so[*]}'; set net:max-retries 1; set xfer:clobber on;
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
  timed "$cns" "${servers[@]}"
  local status=ok transfer=0 lf="$inst/client.log"
  if [ $t_rc != 0 ]; then
    status=fail; note=$(fail_note "$scen" "$tool" "$run")
  elif [ ! -f "$dest" ] || [ "$(sha256sum "$dest" | cut -d' ' -f1)" != "$(cat "$data/bench/$file.sha256")" ]; then
    status=sha-mismatch; note="downloaded file differs from the source"
  fi
  if [[ $tool == mpft-* ]] && [ $t_rc = 0 ]; then
    paths=$(tail -1 "$lf" | grep -o '"role":"[a-z]*","chunks":[0-9]*,"bytes":[0-9]*' \
      | sed -E 's/"role":"([a-z]*)","chunks":([0-9]*),"bytes":([0-9]*)/\1:\2:\3/' | paste -sd, -)
    [ -n "$paths" ] || paths="-"
    # the client's own clock (elapsedMs: connection to the last chunk, without the JVM's start)
    transfer=$(tail -1 "$lf" | grep -o '"elapsedMs":[0-9]*' | head -1 | awk -F: '{printf "%.3f", $2 / 1000}')
    [ -n "$transfer" ] || transfer=0
  fi
  rm -f "$dest" "$dest".mpft-*
  record "$scen" "$tool" "$run" "$t_wall" "$t_cli" "$t_srv" "$t_rss" "$status" "$paths" "$note" "$transfer"
}

record() {  # record SCEN TOOL RUN WALL CLIENT_CPU SERVER_CPU RSS STATUS PATHS NOTE [TRANSFER] (RUN 0: a warm-up, not recorded)
  # the bytes moved are $rec_bytes (set by the caller), else the measured file's size
  local scen=$1 tool=$2 run=$3 wall=$4 cli=$5 srv=$6 rss=$7 status=$8 paths=$9 note
  if [ "$run" = 0 ]; then log "  warm-up $tool: $status (${wall}s, server cpu ${srv}s) ${10}"; return; fi
  note=$(printf '%s' "${10}" | sanitize)
  local r1=${rate1_of[$scen]:-0} r2=${rate2_of[$scen]:-0} fb=${rec_bytes:-$file_bytes}
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$scen" "$tool" "$run" "$fb" "$wall" "$cli" \
    "$srv" "$rss" "$r1" "$r2" "$status" "$paths" "$note" "${11:-0}" >> "$results"
  local mbs
  mbs=$(awk -v b="$fb" -v w="$wall" 'BEGIN{ if (w > 0) printf "%.1f", b/1e6/w; else print "-" }')
  case $status in
    ok) log "  $scen $tool #$run: $mbs MB/s (${wall}s$([ "${11:-0}" = 0 ] || echo ", transfer ${11}s"), client cpu ${cli}s, server cpu ${srv}s, rss ${rss} KiB)$([ "$paths" = - ] || echo " $paths")" ;;
    sha-mismatch) mismatches=$((mismatches + 1)); log "  $scen $tool #$run: MISMATCH: $note" ;;
    *) failures=$((failures + 1)); log "  $scen $tool #$run: FAILED: $note" ;;
  esac
}

# run_scenario SCEN FILE CLIENT_NS H_SOLO H_PRIMARY TOOL... : RUNS rounds, order reversed every other round
run_scenario() {
  local scen=$1 file=$2 cns=$3 hsolo=$4 hprim=$5; shift 5
  local list=("$@") r i order n=${scen_runs:-$runs}
  log "scenario $scen (${rate1_of[$scen]:-0} + ${rate2_of[$scen]:-0} Mbit/s; 0 = unshaped): ${list[*]}, $n run(s)"
  for r in $(seq "$n"); do
    if [ $((r % 2)) = 1 ]; then order=("${list[@]}"); else order=(); for ((i=${#list[@]}-1; i>=0; i--)); do order+=("${list[$i]}"); done; fi
    for t in "${order[@]}"; do download "$scen" "$t" "$r" "$file" "$cns" "$hsolo" "$hprim"; done
  done
}

has_tool() { [[ ",$tools," == *",$1,"* ]]; }
has_scen() { [[ ",$scenarios," == *",$1,"* ]]; }
selected() { local t out=(); for t in "$@"; do has_tool "$t" && out+=("$t"); done; echo "${out[@]}"; }
# scen_tools DEFAULTS... -- ALLOWED...: the tools of a scenario. A full run without --tools runs the scenario's
# own set (DEFAULTS); otherwise the chosen tools among those the scenario allows.
scen_tools() {
  local defaults=() allowed=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do defaults+=("$1"); shift; done
  shift; allowed=("$@")
  if [ "$mode" = full ] && [ "$tools_set" = 0 ]; then echo "${defaults[@]}"; else selected "${allowed[@]}"; fi
}
warm_up() {  # warm_up FILE CLIENT_NS H_SOLO H_PRIMARY: one unrecorded download per mpft tool in use, and sftp
  # The servers are long-running JVMs: until their JIT has compiled the send path they spend more CPU on it than the
  # transfer itself, and on 2 cores that CPU is taken from the client. Every mpft strategy warms its own code.
  local t
  for t in mpft-single mpft-default mpft-alternate mpft-adaptive; do
    [ $t = mpft-single ] || { has_tool $t && [ "${up_of[primary]:-0}" = 1 ]; } || continue
    download warm $t 0 "$1" "$2" "$3" "$4"
  done
  download warm sftp 0 "$1" "$2" "$3" "$4"
}
