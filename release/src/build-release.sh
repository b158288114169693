#!/usr/bin/env bash
# Builds the release folder from the staged jars (mvn -B -Prelease package runs it; see README "Install"):
#   mpft-VERSION-linux-x86_64.tar.gz            the client with a jlinked Java runtime: needs no Java installed
#   mpft-VERSION-OS-ARCH.tar.gz                 the same for another platform whose jmods are given (JMODS below)
#   mpft-VERSION-OS-ARCH-noruntime.tar.gz/.zip  the client for the other platforms: needs Java 17+ (PATH or JAVA_HOME)
#                                               (.zip for windows-x86_64)
#   mpft-plugin-VERSION.jar (+ .sha256)         the plugin for a host's plugins folder
#   host-sftp-demo-VERSION-all.jar              the demo SFTP host with the plugin loader
#   SHA256SUMS                                  every file above
# jlink builds a runtime only for the platform of the JDK whose jmods it reads: the JDK that runs this build
# (Linux x86-64 here; on another platform that platform's archive is the one with a runtime). No JDK of another
# platform is served by Maven Central, so the other archives carry no runtime, unless JMODS names the jmods folder
# of a JDK 17 of that platform (e.g. Debian's openjdk-17-jdk-headless for arm64, unpacked with dpkg-deb -x):
# the build JDK's jlink links a runtime from those (java.base's jmod must say that platform; README "Install").
# Arguments: VERSION STAGE_DIR RELEASE_DIR JAVA_HOME LAUNCHER_DIR [JMODS]
#   JMODS: PLATFORM=DIR[,PLATFORM=DIR...], e.g. linux-aarch64=/tmp/jdk-arm64/usr/lib/jvm/java-17-openjdk-arm64/jmods
set -euo pipefail
version="$1" stage="$2" out="$3" jdk="$4" launchers="$5" jmods="${6:-}"

rm -rf "$out" "$stage/work"
mkdir -p "$out" "$stage/work"

jar="$stage/mpft-cli.jar"
# The modules the client needs: what jdeps finds in its classes, plus those reached only by name at run time
# (jdk.crypto.ec: the EC and Ed25519 algorithms of TLS and SSH keys; jdk.charsets: a terminal's non-UTF-8 encoding;
# jdk.unsupported: netty's sun.misc.Unsafe, listed in case jdeps stops seeing it).
modules="$("$jdk/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$jar")"
modules="$(printf %s "$modules,jdk.crypto.ec,jdk.charsets,jdk.unsupported" | tr , "\n" | sort -u | paste -sd, -)"
echo "release: runtime modules $modules"

# one client folder: bin/ (launchers), lib/mpft-cli.jar, lib/native/ (Linux), optionally runtime/
client_folder() { # NAME WINDOWS(yes/no) PLATFORM
  local dir="$stage/work/$1"
  mkdir -p "$dir/bin" "$dir/lib"
  cp "$jar" "$dir/lib/mpft-cli.jar"
  # Linux: netty's native libraries of the platform, unpacked, for java.library.path (bin/mpft): netty looks
  # there before it unpacks them from the jar into a temporary file in every run (about 90 ms of a 1 kB download)
  case "$3" in
    linux-*)
      "$jdk/bin/java" -cp "$jar" org.mpft.cli.NativeLibraryExport "$dir/lib/native" "${3#linux-}" \
        || { echo "release: no native library of $3 in the client jar" >&2; exit 1; }
      ls "$dir/lib/native"/libnetty_quiche42_linux_*.so "$dir/lib/native"/libnetty_transport_native_epoll_*.so >/dev/null \
        || { echo "release: the QUIC or epoll library of $3 is not in the client jar" >&2; exit 1; } ;;
  esac
  if [ "$2" = yes ]; then
    cp "$launchers/mpft.bat" "$dir/bin/mpft.bat"
  else
    cp "$launchers/mpft" "$dir/bin/mpft"
    chmod 755 "$dir/bin/mpft"
  fi
  printf '%s\n' "$dir"
}

# the platform of the build JDK, in the names of the archives
os="$(sed -n 's/^OS_NAME="\(.*\)"/\1/p' "$jdk/release" | tr 'A-Z' 'a-z')"
arch="$(sed -n 's/^OS_ARCH="\(.*\)"/\1/p' "$jdk/release")"
case "$os" in darwin|"mac os x") os=osx ;; windows*) os=windows ;; esac
case "$arch" in amd64) arch=x86_64 ;; arm64) arch=aarch64 ;; esac
native="$os-$arch"

# the jmods folder given for PLATFORM in JMODS, or nothing
jmods_for() { # PLATFORM
  local entry
  for entry in ${jmods//,/ }; do
    if [ "${entry%%=*}" = "$1" ]; then printf '%s\n' "${entry#*=}"; fi
  done
}
# every JMODS entry names a platform of the archives and a folder whose java.base is of that platform
for entry in ${jmods//,/ }; do
  platform="${entry%%=*}" dir="${entry#*=}"
  case " linux-x86_64 linux-aarch64 osx-x86_64 osx-aarch64 windows-x86_64 " in
    *" $platform "*) ;;
    *) echo "release: jmods for an unknown platform '$platform' (expected PLATFORM=DIR, PLATFORM one of" \
         "linux-x86_64 linux-aarch64 osx-x86_64 osx-aarch64 windows-x86_64)" >&2; exit 2 ;;
  esac
  if [ ! -f "$dir/java.base.jmod" ]; then
    echo "release: $dir (jmods for $platform) has no java.base.jmod" >&2; exit 2
  fi
  # jmod names platforms as linux-amd64, macos-aarch64, windows-amd64...: the archives' names for them
  found="$("$jdk/bin/jmod" describe "$dir/java.base.jmod" | sed -n 's/^platform //p' \
    | sed -e 's/^macos-/osx-/' -e 's/-amd64$/-x86_64/' -e 's/-x64$/-x86_64/' -e 's/-arm64$/-aarch64/')"
  if [ "$found" != "$platform" ]; then
    echo "release: $dir/java.base.jmod is for platform '$found', not $platform" >&2; exit 2
  fi
done

# One archive per platform, all with the same jar (it carries every platform's natives). The build JDK's own
# platform gets a jlinked runtime; the others a launcher that takes Java 17+ from JAVA_HOME or the PATH.
for platform in linux-x86_64 linux-aarch64 osx-x86_64 osx-aarch64 windows-x86_64; do
  windows=no; [ "${platform%%-*}" = windows ] && windows=yes
  target_jmods="$(jmods_for "$platform")"
  if [ "$platform" = "$native" ] || [ -n "$target_jmods" ]; then
    name="mpft-$version-$platform"
    dir="$(client_folder "$name" "$windows" "$platform")"
    # another platform's runtime links from its own jmods (java.base included), not the build JDK's
    module_path=()
    if [ -n "$target_jmods" ]; then module_path=(--module-path "$target_jmods"); fi
    "$jdk/bin/jlink" "${module_path[@]}" --add-modules "$modules" --output "$dir/runtime" \
      --strip-debug --no-header-files --no-man-pages --compress=2
    echo "release: $name with a runtime of $(sed -n 's/^JAVA_VERSION=//p' "$dir/runtime/release")"
  else
    name="mpft-$version-$platform-noruntime"
    client_folder "$name" "$windows" "$platform" >/dev/null
  fi
  if [ "$windows" = yes ]; then
    (cd "$stage/work" && "$jdk/bin/jar" --create --no-manifest --file "$out/$name.zip" "$name")
  else
    tar -C "$stage/work" -czf "$out/$name.tar.gz" "$name"
  fi
done

# for admins: the plugin jar with its checksum (sha256sum -c format) and the demo host
cp "$stage/mpft-plugin-$version.jar" "$stage/host-sftp-demo-$version-all.jar" "$out/"
(cd "$out" && sha256sum "mpft-plugin-$version.jar" > "mpft-plugin-$version.jar.sha256")
(cd "$out" && sha256sum -- *.tar.gz *.zip *.jar > SHA256SUMS)
echo "release: $(ls "$out" | tr '\n' ' ')"
