# bench/lib/tree.sh — the tree scenario (sourced by bench/run.sh; uses its globals): a folder of many files
# fetched whole by mpft get -r and by the tools people use for trees, each result checked by a tree digest.
#
# The source: $tree_files files, log-uniform sizes in [$tree_min, $tree_max] bytes, nested folders, fixed seed
# ($tree_seed): bench/lib/make_tree.py, made once into the data folder and kept with its digest.


# tree_digest DIR: SHA-256 over "sha256  relative/path" of every file, sorted by path (C locale)
tree_digest() {
  (cd "$1" && find . -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -d' ' -f1
}

make_tree() {  # make_tree [FILES SEED] -> prints the tree's folder name (relative to the user's home); sets tree_bytes
  local files=${1:-$tree_files} seed=${2:-$tree_seed}
  local tree_files=$files tree_seed=$seed
  local name="tree-$tree_files-$tree_seed-$tree_min-$tree_max" d="$data/bench"
  if [ ! -f "$d/$name.digest" ] || [ ! -d "$d/$name" ]; then
    command -v python3 >/dev/null || die "the tree scenario needs python3 (apt-get install -y python3)"
    log "creating $name ($tree_files files, $tree_min..$tree_max bytes, seed $tree_seed)"
    rm -rf "$d/$name" "$d/$name.digest" "$d/$name.bytes"
    python3 "$bench/lib/make_tree.py" "$d/$name" "$tree_files" "$tree_seed" "$tree_min" "$tree_max" > "$d/$name.bytes" \
      || die "make_tree.py failed"
    tree_digest "$d/$name" > "$d/$name.digest"
  fi
  tree_bytes=$(cat "$d/$name.bytes")
  find "$d/$name" -type f -exec cat {} + > /dev/null   # into the page cache, for every tool alike
  echo "$name"
}

ensure_rclone() {  # rclone from Debian when missing (the tree peers include it)
  command -v rclone >/dev/null && return 0
  log "installing rclone (apt-get install -y rclone)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rclone >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rclone >/dev/null 2>&1; } \
    || log "could not install rclone: rclone-copy4 will be recorded as failed"
}

# tree_download SCEN TOOL RUN TREE CLIENT_NS H_SOLO H_PRIMARY -> appends a record (bytes: the whole tree)
tree_download() {
  local scen=$1 tool=$2 run=$3 tree=$4 cns=$5 hsolo=$6 hprim=$7
  local dest="$out/tree-dl" servers=("${pid_of[solo]:-}") note="-" status=ok so
  read -ra so <<< "$(ssh_opts)"
  rec_bytes=$tree_bytes
  rm -rf "$dest"; mkdir -p "$dest"
  case $tool in
    mpft-default)
      if ! mpft_ready primary; then
        record "$scen" "$tool" "$run" 0 0 0 0 fail - "not run: needs the mpft client and the primary + secondary"; return
      fi
      servers=("${pid_of[primary]:-}" "${pid_of[secondary]:-}")
      # shellcheck disable=SC2086
      mpft_cmd -r ${BENCH_TREE_MPFT_OPTS:-}; cmd+=("bench@$hprim:7301:$tree" "$dest/") ;;
    mpft-single)
      if ! mpft_ready solo; then
        record "$scen" "$tool" "$run" 0 0 0 0 fail - "not run: needs the mpft client and the solo instance"; return
      fi
      # shellcheck disable=SC2086
      mpft_cmd -r ${BENCH_TREE_MPFT_OPTS:-}; cmd+=("bench@$hsolo:7300:$tree" "$dest/") ;;
    scp-r) cmd=(scp -q -r "${so[@]}" -P 2222 "bench@$hsolo:/$tree" "$dest/") ;;
    sftp-r)
      printf 'get -r /%s %s/%s\n' "$tree" "$dest" "$tree" > "$inst/sftp.batch"
      cmd=(sftp -q "${so[@]}" -P 2222 -b "$inst/sftp.batch" "bench@$hsolo") ;;
    lftp-mirror4)
      cmd=(lftp -c "set sftp:connect-program 'ssh -a -x ${so[*]}'; set net:max-retries 1;
        open -u bench, sftp://$hsolo:2222; mirror --parallel=4 /$tree $dest/$tree") ;;
    rclone-copy4)
      cmd=(rclone copy --config "$rclone_conf" --transfers 4 --retries 1 --low-level-retries 1 --no-check-dest
        --ignore-times
        ":sftp,host=$hsolo,port=2222,user=bench,key_file=$key,known_hosts_file=$ssh_known,shell_type=none,disable_hashcheck=true:$tree"
        "$dest/$tree") ;;
    *) die "unknown tree tool $tool" ;;
  esac
  if [[ $tool != mpft-* ]] && [ "${up_of[solo]:-0}" != 1 ]; then
    record "$scen" "$tool" "$run" 0 0 0 0 fail - "not run: the solo instance is not serving"; return
  fi
  if [[ $tool != mpft-* ]] && ! command -v "${cmd[0]}" >/dev/null; then
    record "$scen" "$tool" "$run" 0 0 0 0 fail - "not run: ${cmd[0]} is not installed"; return
  fi
  timed "$cns" "${servers[@]}"
  if [ $t_rc != 0 ]; then
    status=fail; note=$(fail_note "$scen" "$tool" "$run")
    if [[ $tool = mpft-* ]] && grep -qiE "unknown option.*'-r'|unmatched argument.*-r" "$inst/client.log"; then
      note="mpft get -r is not in this client yet: $note"
    fi
  else
    # where the tree landed: DEST/TREE (scp -r semantics), or DEST itself
    local root="$dest/$tree"; [ -d "$root" ] || root="$dest"
    if [ "$(tree_digest "$root")" != "$(cat "$data/bench/$tree.digest")" ]; then
      status=sha-mismatch; note="tree digest differs from the source ($(find "$root" -type f | wc -l) files arrived)"
    fi
  fi
  rm -rf "$dest"
  record "$scen" "$tool" "$run" "$t_wall" "$t_cli" "$t_srv" "$t_rss" "$status" - "$note"
}

# run_tree SCEN CLIENT_NS H_SOLO H_PRIMARY: every tree tool, RUNS rounds, order reversed every other round
run_tree() {
  local scen=$1 cns=$2 hsolo=$3 hprim=$4 tree list=() t r i order
  tree=$(make_tree) || die "the tree source could not be made"
  tree_bytes=$(cat "$data/bench/$tree.bytes")
  IFS=, read -ra list <<< "$tree_tools"
  [[ ",$tree_tools," == *,rclone-copy4,* ]] && ensure_rclone
  log "scenario $scen ($tree: $tree_bytes bytes; ${rate1_of[$scen]:-0} + ${rate2_of[$scen]:-0} Mbit/s): ${list[*]}, $runs run(s)"
  # warm-up, unrecorded: each tool fetches a tree of its own (--tree-warm-files files, as many as the tree by
  # default, another seed) --tree-warm-rounds times, so that the servers measured are warm ones, as a file server
  # that has been up for a while is. A server's per-file code runs once per file, so its JIT needs many files:
  # after one warm-up tree the primary and secondary together still spent 13.7, 10.0, 8.7, 6.7, 4.9, 5.2, 4.8 and
  # 4.5 CPU-s on eight fetches of the same tree in a row (loopback, 2026-12-04); the peers' SFTP server falls too,
  # less steeply. Each round fetches with every tool, so all servers warm alike.
  if [ "$tree_warm_files" -gt 0 ] && [ "$tree_warm_rounds" -gt 0 ]; then
    local warm_tree saved_bytes=$tree_bytes w
    warm_tree=$(make_tree "$tree_warm_files" $((tree_seed + 1000))) || die "the warm-up tree could not be made"
    tree_bytes=$(cat "$data/bench/$warm_tree.bytes")
    for w in $(seq "$tree_warm_rounds"); do
      for t in "${list[@]}"; do tree_download "$scen" "$t" 0 "$warm_tree" "$cns" "$hsolo" "$hprim"; done
    done
    tree_bytes=$saved_bytes
  fi
  for r in $(seq "$runs"); do
    if [ $((r % 2)) = 1 ]; then order=("${list[@]}"); else order=(); for ((i=${#list[@]}-1; i>=0; i--)); do order+=("${list[$i]}"); done; fi
    for t in "${order[@]}"; do tree_download "$scen" "$t" "$r" "$tree" "$cns" "$hsolo" "$hprim"; done
  done
}
