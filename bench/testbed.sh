#!/bin/bash
# Copied from /work/shared/testbed/testbed.sh (the team's shared two-path bed; see its README there) with its
# `delay` support (bench/delayq.c, an NFQUEUE program built at first use into bench/target/delayq), so that
# bench/run.sh does not depend on the shared folder. `rate RATE1 RATE2` changes the two paths' tbf rates in
# place (same burst/latency), so servers keep running (and stay warm) between scenarios.
# Two-path testbed (all addresses live only inside namespaces created here).
#  direct mode (default):  mpftC c1 10.77.1.2 <-> p1 10.77.1.1 mpftP   (path1, primary)
#                          mpftC c2 10.77.2.2 <-> s2 10.77.2.1 mpftS   (path2, secondary)
#     tbf on the server-side veth egress (p1, s2) = download direction.
#  ROUTER=1 mode:  mpftC c1 10.77.1.2 <-> r1c 10.77.1.1 [mpftR1] r1s 10.77.11.1 <-> p1 10.77.11.2 mpftP
#                  mpftC c2 10.77.2.2 <-> r2c 10.77.2.1 [mpftR2] r2s 10.77.12.1 <-> s2 10.77.12.2 mpftS
#     tbf on the router's client-facing egress (r1c, r2c): a real bottleneck that drops
#     (ip_rcv orphans the skb, so the server socket is no longer back-pressured by the queue).
#  both modes: mpftP b1 10.77.9.1 <-> b2 10.77.9.2 mpftS, an unshaped back-end link for the
#     primary <-> secondary coordination traffic (the client cannot reach it).
# Usage: [ROUTER=1] [NOGSO=1] [BURST=64kb] [LAT=20ms] [UPRATE=..] testbed.sh up [RATE1] [RATE2]
#        testbed.sh down | status | loss PCT1 PCT2 | noloss | rate RATE1 RATE2 | delay MS1 MS2 (ROUTER=1) | nodelay
set -u
RATE1=${2:-200mbit}; RATE2=${3:-100mbit}
BURST=${BURST:-64kb}      # >= 64 KiB: 5-16 KiB caused 5% TCP loss, 64 KiB none
LAT=${LAT:-20ms}          # tbf queue budget: limit = rate*latency + burst
UPRATE=${UPRATE:-}        # optional client->server shaping; empty = unshaped
NOGSO=${NOGSO:-0}         # 1 = tso/gso/udp-gso off on server veths, so tbf/nft see MTU packets (needs ethtool)
ALL_NS="mpftC mpftP mpftS mpftR1 mpftR2"
ROUTER=${ROUTER:-0}
[ "$ROUTER" = 1 ] || ip netns list | grep -qw mpftR1 && ROUTER=1   # status/loss/down auto-detect

veth() { ip link add $2 netns $1 type veth peer name $4 netns $3; }  # veth NS_A DEV_A NS_B DEV_B
addr() { ip -n $1 addr add $3 dev $2; ip -n $1 link set $2 up; }    # addr NS DEV CIDR
shape() { tc -n $1 qdisc add dev $2 root handle 1: tbf rate $3 burst $BURST latency $LAT; }

up() {
  set -e
  if [ "$ROUTER" = 1 ]; then NSL="mpftC mpftP mpftS mpftR1 mpftR2"; else NSL="mpftC mpftP mpftS"; fi
  for ns in $NSL; do ip netns add $ns; ip -n $ns link set lo up; done
  if [ "$ROUTER" != 1 ]; then
    veth mpftC c1 mpftP p1; addr mpftC c1 10.77.1.2/24; addr mpftP p1 10.77.1.1/24
    veth mpftC c2 mpftS s2; addr mpftC c2 10.77.2.2/24; addr mpftS s2 10.77.2.1/24
    shape mpftP p1 $RATE1; shape mpftS s2 $RATE2
    [ -z "$UPRATE" ] || { shape mpftC c1 $UPRATE; shape mpftC c2 $UPRATE; }
    echo "primary=10.77.1.1 secondary=10.77.2.1 client=10.77.1.2,10.77.2.2"
  else
    for i in 1 2; do
      SRV=$([ $i = 1 ] && echo mpftP || echo mpftS); SD=$([ $i = 1 ] && echo p1 || echo s2)
      veth mpftC c$i mpftR$i r${i}c; addr mpftC c$i 10.77.$i.2/24; addr mpftR$i r${i}c 10.77.$i.1/24
      veth mpftR$i r${i}s $SRV $SD; addr mpftR$i r${i}s 10.77.1$i.1/24; addr $SRV $SD 10.77.1$i.2/24
      ip netns exec mpftR$i sysctl -qw net.ipv4.ip_forward=1
      ip -n mpftC route add 10.77.1$i.0/24 via 10.77.$i.1 dev c$i
      ip -n $SRV route add 10.77.$i.0/24 via 10.77.1$i.1 dev $SD
    done
    shape mpftR1 r1c $RATE1; shape mpftR2 r2c $RATE2
    [ -z "$UPRATE" ] || { shape mpftR1 r1s $UPRATE; shape mpftR2 r2s $UPRATE; }
    echo "primary=10.77.11.2 secondary=10.77.12.2 client=10.77.1.2,10.77.2.2"
  fi
  veth mpftP b1 mpftS b2; addr mpftP b1 10.77.9.1/24; addr mpftS b2 10.77.9.2/24   # back-end link
  [ "$NOGSO" != 1 ] || for x in "mpftP p1" "mpftS s2"; do set -- $x; ip netns exec $1 ethtool -K $2 tso off gso off tx-udp-segmentation off; done
  # no default routes: each server subnet is reachable only over its own path
  for ns in $NSL; do for d in $(ip -n $ns -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -v '^lo$'); do
    for k in $(seq 50); do ip -n $ns link show $d | grep -q LOWER_UP && break; sleep 0.1; done; done; done
}
# random loss on the download direction via nftables numgen (tc netem / act_gact are not in this kernel)
loss() {
  local n1 n2; n1=$(awk -v p=$1 'BEGIN{printf "%d", p*100}'); n2=$(awk -v p=$2 'BEGIN{printf "%d", p*100}')
  if [ "$ROUTER" = 1 ]; then set -- "mpftR1 r1c forward $n1" "mpftR2 r2c forward $n2"; else set -- "mpftP p1 output $n1" "mpftS s2 output $n2"; fi
  for x in "$@"; do set -- $x
    ip netns exec $1 nft delete table inet mpftloss 2>/dev/null || true
    ip netns exec $1 nft "add table inet mpftloss; add chain inet mpftloss c { type filter hook $3 priority 0; policy accept; }; add rule inet mpftloss c oifname \"$2\" numgen random mod 10000 < $4 counter drop"
  done
}
# re-rate both paths in place (the bed must be up)
rate() {
  if [ "$ROUTER" = 1 ]; then set -- "mpftR1 r1c $1" "mpftR2 r2c $2"; else set -- "mpftP p1 $1" "mpftS s2 $2"; fi
  for x in "$@"; do set -- $x; tc -n $1 qdisc change dev $2 root handle 1: tbf rate $3 burst $BURST latency $LAT; done
}
# extra one-way delay on each path's download direction (ROUTER=1 only: iptables NFQUEUE in the router's forward
# chain, released by delayq after D ms; this kernel has no netem). D1/D2 in ms; 0 = none. DQDIR holds the
# binary, its pid files and logs (default bench/target/delayq.d, next to this script).
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
DQDIR=${DQDIR:-$here/target/delayq.d}
delayq_bin() {
  local src="$here/delayq.c"; mkdir -p "$DQDIR"
  if [ ! -x "$DQDIR/delayq" ] || [ "$src" -nt "$DQDIR/delayq" ]; then
    local pkgs=()
    [ -f /usr/include/libnetfilter_queue/libnetfilter_queue.h ] || pkgs+=(libnetfilter-queue-dev)
    command -v iptables >/dev/null || pkgs+=(iptables)
    command -v cc >/dev/null || pkgs+=(gcc libc6-dev)
    if [ ${#pkgs[@]} -gt 0 ]; then
      echo "testbed: installing ${pkgs[*]} for delayq" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null; } \
        || { echo "delayq: could not install ${pkgs[*]}" >&2; return 1; }
    fi
    cc -O2 -o "$DQDIR/delayq" "$src" -lnetfilter_queue -lnfnetlink || { echo "delayq: build failed" >&2; return 1; }
  fi; echo "$DQDIR/delayq"; }
nodelay() { for i in 1 2; do [ -f "$DQDIR/delayq-$i.pid" ] && kill "$(cat "$DQDIR/delayq-$i.pid")" 2>/dev/null; rm -f "$DQDIR/delayq-$i.pid"
  ip netns exec mpftR$i iptables -D FORWARD -o r${i}c -j NFQUEUE --queue-num 0 --queue-bypass 2>/dev/null; done; true; }
delay() {
  [ "$ROUTER" = 1 ] || { echo "delay needs the ROUTER=1 bed" >&2; return 2; }
  local bin; bin=$(delayq_bin) || return 1; nodelay
  local i d; for i in 1 2; do d=$([ $i = 1 ] && echo $1 || echo $2); [ "$d" = 0 ] && continue
    ip netns exec mpftR$i "$bin" 0 "$d" 2>>"$DQDIR/delayq-$i.log" & echo $! >"$DQDIR/delayq-$i.pid"
    ip netns exec mpftR$i iptables -A FORWARD -o r${i}c -j NFQUEUE --queue-num 0 --queue-bypass   # (nft's queue expression is not in this kernel)
  done; sleep 0.3; }
noloss() { for ns in $ALL_NS; do ip netns exec $ns nft delete table inet mpftloss 2>/dev/null; done; true; }
down() { nodelay 2>/dev/null; for ns in $ALL_NS; do ip netns del $ns 2>/dev/null; done; true; }   # kill servers in the ns first; deleting a ns removes its veths, qdiscs, nft tables
status() { for ns in $ALL_NS; do ip netns list | grep -qw $ns || continue; echo "== $ns"; ip -n $ns -br addr | grep -v '^lo'; tc -n $ns -s qdisc show | grep -A1 tbf; ip netns exec $ns nft list ruleset 2>/dev/null | grep counter; done; true; }
case ${1:-} in up) up;; down) down;; status) status;; loss) loss ${2:-1} ${3:-1};; noloss) noloss;; rate) rate ${2:?RATE1} ${3:?RATE2};; delay) delay ${2:?MS1} ${3:?MS2};; nodelay) nodelay;; *) echo "usage: $0 up|down|status|loss P1 P2|noloss|rate R1 R2|delay MS1 MS2|nodelay"; exit 2;; esac
