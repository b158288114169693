# bench/lib/scenarios.sh — the scenarios of bench/run.sh (sourced; uses its globals).
#
# Beds (bench/testbed.sh): "direct" (tbf on the servers' veths) for the beds without delay, "router"
# (ROUTER=1: a forwarding namespace per path, tbf there, delayq for the delay) for the beds with delay.
# Servers run in the bed's namespaces: solo + primary in mpftP, secondary in mpftS.
bed_mode=""; ap=""; as=""

bed_down() {
  stop_hosts
  if [ -n "$bed_mode" ] || ip netns list 2>/dev/null | grep -qw mpftC; then
    "$bed" noloss >/dev/null 2>&1; "$bed" down; fi
  bed_mode=""
}

# bed_ensure direct|router: the bed in that mode with the servers up and warm (a no-op when it is already)
bed_ensure() {
  [ "$bed_mode" = "$1" ] && return 0
  bed_down
  ip netns list | grep -qw mpftC && { log "a bed is up from an earlier run: taking it down"; "$bed" down; }
  if [ "$1" = router ]; then
    ROUTER=1 "$bed" up 200mbit 200mbit >&2 || die "testbed up (ROUTER=1) failed"; ap=10.77.11.2; as=10.77.12.2
  else
    "$bed" up 200mbit 200mbit >&2 || die "testbed up failed"; ap=10.77.1.1; as=10.77.2.1
  fi
  bed_mode=$1
  start_hosts mpftP mpftS "$ap" "$as" "$need_multi"
  warm_up "$warm_file" mpftC "$ap" "$ap"
}

offload() {  # offload on|off PATH: segmentation offload of the server's veth on path 1 (p1) or 2 (s2)
  command -v ethtool >/dev/null || return 0
  local ns dev o; if [ "$2" = 1 ]; then ns=mpftP; dev=p1; else ns=mpftS; dev=s2; fi
  for o in tso gso tx-udp-segmentation; do ip netns exec $ns ethtool -K $dev "$o" "$1" 2>/dev/null; done
}

# bed_scenario SCEN R1 R2 D1 D2 L1 L2 TOOL...: rates (Mbit/s), one-way delays of the download direction (ms),
# random loss (%) per path, then the tools' runs on the measured file
bed_scenario() {
  local scen=$1 r1=$2 r2=$3 d1=$4 d2=$5 l1=$6 l2=$7; shift 7
  [ $# -gt 0 ] || { log "scenario $scen: no tool selected"; return; }
  if [ "$d1" != 0 ] || [ "$d2" != 0 ]; then bed_ensure router; else bed_ensure direct; fi
  if [ "$scen" = shaped ]; then
    echo "# scenario.$scen=$r1 Mbit/s on path 1 only ($bed_mode bed)" >> "$results"
  else
    echo "# scenario.$scen=$r1 + $r2 Mbit/s, delay $d1 + $d2 ms, loss $l1 + $l2 % ($bed_mode bed)" >> "$results"
  fi
  rate1_of[$scen]=$r1; rate2_of[$scen]=$r2
  [ "$scen" != shaped ] || rate2_of[$scen]=0   # one path: path 2 is not used
  "$bed" rate "${r1}mbit" "${r2}mbit"
  if [ "$d1" != 0 ] || [ "$d2" != 0 ]; then "$bed" delay "$d1" "$d2" || die "testbed delay failed"; fi
  local lossy=0
  if [ "$l1" != 0 ] || [ "$l2" != 0 ]; then
    lossy=1
    # segmentation offload off on a lossy path, so that nftables drops that share of packets, not of 64 KiB
    # GSO/TSO bursts (the bed's NOGSO=1, for this path and scenario only)
    command -v ethtool >/dev/null || log "no ethtool: loss applies per GSO/TSO segment burst, not per packet (apt-get install -y ethtool)"
    [ "$l1" = 0 ] || offload off 1; [ "$l2" = 0 ] || offload off 2
    "$bed" loss "$l1" "$l2"
  fi
  run_scenario "$scen" "$file" mpftC "$ap" "$ap" "$@"
  [ $lossy = 0 ] || { "$bed" noloss; offload on 1; offload on 2; }
  [ "$bed_mode" != router ] || "$bed" nodelay
  "$bed" rate 200mbit 200mbit
}

bed_tree() {  # bed_tree SCEN R1 R2: the tree scenario on the direct bed
  bed_ensure direct
  rate1_of[$1]=$2; rate2_of[$1]=$3
  "$bed" rate "${2}mbit" "${3}mbit"
  run_tree "$1" mpftC "$ap" "$ap"
  "$bed" rate 200mbit 200mbit
}

# ---------------------------------------------------------------- loopback
loopback_up() {  # the three instances on 127.0.0.1, warm
  start_hosts "" "" 127.0.0.1 127.0.0.1 "$need_multi"
  warm_up "$warm_file" "" 127.0.0.1 127.0.0.1
}

# the last state of the primary's cluster link as its log tells: up, down or unknown
link_state() {
  local l; l=$(grep -E "cluster link to secondary .*( up;| is down| refused)" "$inst/primary/host.log" 2>/dev/null | tail -1)
  case $l in *" up;"*) echo up ;; "") echo unknown ;; *) echo down ;; esac
}
down_lines() { local n; n=$(grep -cE "cluster link to secondary .* is down" "$inst/primary/host.log" 2>/dev/null); echo "${n:-0}"; }

# dead_secondary: per run, the secondary is stopped (SIGSTOP by default, --dead-signal KILL to kill it: a stopped
# process answers nothing, a killed one lets the kernel refuse its port) while the primary's link to it is up;
# then at once an mpft download from the primary (mpft-dead-secondary) and, afterwards, one from the solo
# instance, which has no secondaries (mpft-primary-only). mpft-link-down records the seconds from the stop until the
# primary's log says the link is down (polled every 0.1 s while the download runs, given up after $link_wait s).
dead_secondary() {
  local scen=dead-secondary r i t0 t1 n0
  rate1_of[$scen]=0; rate2_of[$scen]=0
  log "scenario $scen (loopback, secondary stopped with SIG$dead_signal): mpft-dead-secondary, mpft-link-down, mpft-primary-only, $runs run(s)"
  local link_wait=90   # the link noticed a stopped secondary after about 30 s when this scenario was written
  for r in $(seq "$runs"); do
    if [ "${up_of[secondary]:-0}" != 1 ]; then
      launch_host secondary ""; wait_host secondary 127.0.0.1 $sec_sport $sec_mport || true
    fi
    for i in $(seq 300); do [ "$(link_state)" = up ] && break; sleep 0.1; done
    if [ "$(link_state)" != up ] || [ "${up_of[primary]:-0}" != 1 ]; then
      rec_bytes=0; record $scen mpft-dead-secondary "$r" 0 0 0 0 fail - "not run: the primary's link to its secondary never came up"
      continue
    fi
    n0=$(down_lines)
    rm -f "$inst/link-down.t"
    kill -"$dead_signal" "${pid_of[secondary]}"; up_of[secondary]=0
    t0=$(date +%s%N)
    # the log is polled while the download runs: the link may go down long before the download ends
    ( while :; do
        [ "$(down_lines)" -gt "$n0" ] && { date +%s%N > "$inst/link-down.t"; break; }
        [ $(( ($(date +%s%N) - t0) / 1000000000 )) -ge "$link_wait" ] && break; sleep 0.1; done ) &
    local poller=$!
    download $scen mpft-dead-secondary "$r" "$file" "" 127.0.0.1 127.0.0.1
    wait "$poller"; rec_bytes=0
    if [ -s "$inst/link-down.t" ]; then
      t1=$(cat "$inst/link-down.t")
      record $scen mpft-link-down "$r" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1e9}')" 0 0 0 ok - -
    else
      record $scen mpft-link-down "$r" 0 0 0 0 fail - "no 'cluster link to secondary ... is down' line in the primary's log within $link_wait s"
    fi
    stop_host secondary
    download $scen mpft-primary-only "$r" "$file" "" 127.0.0.1 127.0.0.1
  done
}

# ---------------------------------------------------------------- capped loopback
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
  run_scenario "$scen" "$file" "" 127.0.0.1 127.0.0.1 $(scen_tools mpft-single mpft-default mpft-alternate mpft-adaptive -- mpft-single mpft-default mpft-alternate mpft-adaptive)
  stop_hosts
}

# ---------------------------------------------------------------- client memory
# One fixed chunk size, the largest the server picks by default (16 MiB: the client's worst case), for every
# file: the client's buffers are chunks in flight x chunk size, and the server picks the size from the path's
# measured speed and keeps a file's size for resumes, so with the automatic choice the comparison measured
# which chunk size each file happened to get, not file size. The client runs with bin/mpft's defaults.
memory_scenario() {  # memory_scenario SIZE...: scenario memory-SIZE per size, mpft single path on loopback
  local s files=() f r
  for s in "$@"; do files+=("$(make_file "$(bytes_of "$s")")"); done
  host_config solo 127.0.0.1 2222 127.0.0.1 7300 mpft.chunk-size=16m
  launch_host solo ""; wait_host solo 127.0.0.1 2222 7300 || die "the solo host did not start"
  warm_up "$warm_file" "" 127.0.0.1 127.0.0.1
  for r in $(seq "$runs"); do
    for ((i = 0; i < $#; i++)); do
      s=${*:i+1:1}; download "memory-${s,,}" mpft-single "$r" "${files[$i]}" "" 127.0.0.1 127.0.0.1
    done
  done
  stop_hosts
}
