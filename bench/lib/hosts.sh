# bench/lib/hosts.sh — the demo host instances of bench/run.sh (sourced; uses its globals: inst, data,
# users_file, plugin_jar, host_jar, ssh_known, log).
#   solo       no secondaries: mpft single path and every single-server peer
#   primary    with one secondary over the back-end link (or loopback): mpft multi-path
#   secondary  serves the primary's transfers on path 2
declare -A pid_of=()      # instance -> server JVM pid
declare -A ns_of=()       # instance -> namespace ("" = none)
declare -A up_of=()       # instance -> 1 when it serves

host_config() {  # host_config NAME SFTP_BIND SFTP_PORT MPFT_BIND MPFT_PORT [extra plugin lines...]
  local name=$1 sbind=$2 sport=$3 mbind=$4 mport=$5; shift 5
  local d="$inst/$name"
  mkdir -p "$d/plugins" "$d/state"
  cat > "$d/host.properties" <<EOT
sftp.bind=$sbind
sftp.port=$sport
data.dir=$data
users.file=$users_file
plugins.dir=$d/plugins
host.key=$d/host.key
state.dir=$d/state
EOT
  { echo "mpft.bind=$mbind"; echo "mpft.port=$mport"; echo "mpft.name=$name"
    [ -z "${cc:-}" ] || echo "mpft.congestion-control=$cc"   # --cc
    for l in ${BENCH_PLUGIN_PROPS:-}; do echo "$l"; done     # key=value ... of the environment, for every instance
    for l in "$@"; do echo "$l"; done; } > "$d/plugins/plugin.properties"
  [ -z "$plugin_jar" ] || cp "$plugin_jar" "$d/plugins/"
}

launch_host() {  # launch_host NAME NAMESPACE: starts the JVM in the background
  local name=$1 ns=$2 d="$inst/$1" pfx=()
  [ -z "$ns" ] || pfx=(ip netns exec "$ns")
  # ip netns exec execs its command: $! is the JVM itself
  "${pfx[@]}" java ${BENCH_SERVER_JAVA_OPTS:-} -jar "$host_jar" --config "$d/host.properties" >> "$d/host.log" 2>&1 &
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

stop_host() {  # stop_host NAME: TERM, then KILL after 10 s (a stopped process is continued first)
  local name=$1 pid=${pid_of[$1]:-}
  [ -n "$pid" ] || return 0
  kill -CONT "$pid" 2>/dev/null
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null && log "$name: killed after 10 s"
  fi
  wait "$pid" 2>/dev/null
  unset "pid_of[$name]"; up_of[$name]=0
}

stop_hosts() {
  local name
  for name in "${!pid_of[@]}"; do stop_host "$name"; done
}

# start_hosts NS_P NS_S ADDR_P ADDR_S NEED_MULTI [extra plugin lines for every instance...]: the three instances.
# On the bed (NS_P=mpftP): solo :2222/:7300 and primary :2223/:7301 in mpftP, secondary :2223/:7301 in mpftS,
# the back-end link 10.77.9.x between primary and secondary. On loopback (NS_P=""): solo :2222/:7300,
# primary :2223/:7301, secondary :2224/:7302, all on 127.0.0.1.
start_hosts() {
  local nsp=$1 nss=$2 ap=$3 as=$4 multi=$5; shift 5
  if [ -n "$nsp" ]; then
    host_config solo "$ap" 2222 "$ap" 7300 "$@"
    host_config primary "$ap" 2223 0.0.0.0 7301 mpft.role=primary mpft.secondaries=10.77.9.2:7301 \
      "mpft.cluster.secret-file=$secret" "mpft.advertise-address=$ap:7301" "$@"
    host_config secondary "$as" 2223 0.0.0.0 7301 mpft.role=secondary "mpft.cluster.secret-file=$secret" \
      mpft.cluster.accept-primaries=10.77.9.1 "mpft.advertise-address=$as:7301" "$@"
    sec_sport=2223; sec_mport=7301
  else
    host_config solo 127.0.0.1 2222 127.0.0.1 7300 "$@"
    host_config primary 127.0.0.1 2223 127.0.0.1 7301 mpft.role=primary mpft.secondaries=127.0.0.1:7302 \
      "mpft.cluster.secret-file=$secret" mpft.advertise-address=127.0.0.1:7301 "$@"
    host_config secondary 127.0.0.1 2224 127.0.0.1 7302 mpft.role=secondary "mpft.cluster.secret-file=$secret" \
      mpft.cluster.accept-primaries=127.0.0.1 mpft.advertise-address=127.0.0.1:7302 "$@"
    sec_sport=2224; sec_mport=7302
  fi
  sec_addr=$as; sec_ns=$nss
  # solo and secondary start side by side; the primary after its secondary, so its cluster link comes up at once
  launch_host solo "$nsp"
  if [ "$multi" = 1 ]; then
    launch_host secondary "$nss"
    wait_host secondary "$as" $sec_sport $sec_mport && launch_host primary "$nsp" && wait_host primary "$ap" 2223 7301
  fi
  wait_host solo "$ap" 2222 7300
}
