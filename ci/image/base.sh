#!/usr/bin/env bash
# The container image's base: the files of the few Debian bookworm packages the image uses, taken from a
# `debootstrap --variant=minbase` tree: the C and C++ runtime libraries that the JVM and the native
# libraries of ONNX Runtime, the tokenizers and SQLite load (libc6, libgcc-s1, libstdc++6), dash (the
# entry point), bash (the health check) and zstd with its libraries (the entry point unpacks the start-up
# cache with it). No package manager, no coreutils, no documentation, translations or certificates (the
# JVM brings its own trust store, time zones and character sets), none of libc's programs; a non-root
# user `aimp` (10001:10001) owning /data and its home. Written as a docker-save tarball (manifest.json +
# config + one layer) that Jib reads with a tar:// base. No registry and no container engine are needed.
#
# The tarball is cached outside the clone, keyed by the hash of this script: $AIMP_IMAGE_CACHE
# (default /var/cache/aimp-image)/base-<hash>.tar. A cached one is reused; otherwise debootstrap runs
# (root and the debootstrap package needed) and the bases of earlier versions are deleted. Prints the
# tarball's path on stdout.
# Usage: bash ci/image/base.sh
set -euo pipefail
suite=bookworm
mirror=${AIMP_IMAGE_MIRROR:-http://deb.debian.org/debian}
cache=${AIMP_IMAGE_CACHE:-/var/cache/aimp-image}
hash=$(sha256sum "$0" | cut -c1-12)
out="$cache/base-$hash.tar"
if [ -s "$out" ]; then
  echo "$out"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "error: building the base image needs root (debootstrap); run once as root or put $out in place" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "error: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
command -v objdump >/dev/null || { echo "error: objdump is missing (apt-get install binutils)" >&2; exit 1; }
mkdir -p "$cache"
work=$(mktemp -d "$cache/base-build.XXXXXX")
root="$work/rootfs"
cleanup() {
  # debootstrap mounts /proc (and maybe more) inside the tree while it works: never delete through a mount
  { findmnt -rn -o TARGET | grep -F "$work/" | sort -r | while read -r m; do umount -l "$m"; done; } || true
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
echo "base image: debootstrap $suite minbase from $mirror (once per version of $0) ..." >&2
debootstrap --variant=minbase --include=zstd "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

# the packages the image keeps (their libraries are checked below: every ELF file's needs are met)
keep="base-files libc6 libgcc-s1 libstdc++6 dash bash libtinfo6 zstd zlib1g liblzma5 liblz4-1"
slim="$work/slim"
mkdir -p "$slim"
(
  cd "$root"
  for p in $keep; do
    list=""
    for l in var/lib/dpkg/info/"$p".list var/lib/dpkg/info/"$p":*.list; do [ -f "$l" ] && list=$l; done
    [ -n "$list" ] || { echo "error: package $p is not in the debootstrapped tree" >&2; exit 1; }
    # the packages name the merged-/usr aliases (/bin is usr/bin): the real paths; of libc6 only the
    # libraries (its programs, ldconfig, iconv, locale, getent..., are not used in the image; below:
    # nor libmvec, the vector maths library no native library of the image needs, nor pzstd or
    # libstdc++'s debugger scripts)
    sed -E 's|^/||; s#^(bin|sbin|lib|lib64)(/|$)#usr/\1\2#' "$list" \
      | if [ "$p" = libc6 ]; then grep -v -E '^usr/(bin|sbin|libexec)/'; else cat; fi
  done | sort -u | grep -v -E '^(\.|usr/share/(doc|man|info|locale|lintian|bug|gcc)(/|$)|usr/lib/[^/]*-linux-gnu/(gconv/|libmvec\.)|usr/bin/pzstd$)' \
    | while read -r f; do if [ -L "$f" ] || { [ -e "$f" ] && [ ! -d "$f" ]; }; then echo "$f"; fi; done >"$work/files"
  # the merged /usr links, /etc as installed (users, groups, nsswitch.conf, os-release) and the empty mount points
  tar --numeric-owner -cf - bin lib lib64 sbin etc | tar --numeric-owner -xf - -C "$slim"
  tar --numeric-owner --no-recursion -cf - -T "$work/files" | tar --numeric-owner -xf - -C "$slim"
)
rm -rf "$slim"/etc/apt "$slim"/etc/dpkg "$slim"/etc/cron.* "$slim"/etc/logrotate.d "$slim"/etc/systemd "$slim"/etc/ssl \
  "$slim"/etc/ca-certificates* "$slim"/etc/alternatives/*.gz
# the loader's cache, for the libraries that are left (the host's ldconfig, on the tree)
if command -v ldconfig >/dev/null; then ldconfig -r "$slim"; fi
mkdir -p "$slim"/dev "$slim"/proc "$slim"/sys "$slim"/run "$slim"/tmp "$slim"/var/tmp "$slim"/root "$slim"/usr/local/bin
# every library a kept program or library needs is kept too
missing=$(find "$slim/usr" -type f \( -perm -u+x -o -name '*.so*' \) -exec sh -c 'head -c4 "$1" | grep -q ELF && objdump -p "$1"' _ {} \; 2>/dev/null \
  | sed -n 's/^ *NEEDED *//p' | sort -u | while read -r lib; do
      [ -n "$(find "$slim/usr/lib" -name "$lib" -print -quit)" ] || echo "$lib"; done)
[ -z "$missing" ] || { echo "error: the base lacks libraries its programs need: $missing" >&2; exit 1; }
root=$slim
# the runtime user; /data is the volume (a new named volume takes this owner)
echo 'aimp:x:10001:10001:AIMP Gateway:/home/aimp:/usr/sbin/nologin' >>"$root/etc/passwd"
echo 'aimp:x:10001:' >>"$root/etc/group"
echo 'aimp:!:20000::::::' >>"$root/etc/shadow"
mkdir -p "$root/data" "$root/home/aimp"
chown 10001:10001 "$root/data" "$root/home/aimp"
chmod 0750 "$root/data" "$root/home/aimp"
chmod 1777 "$root/tmp"

# a docker-save tarball: one uncompressed layer, its config and the manifest
img="$work/image"
mkdir -p "$img"
(cd "$root" && tar --numeric-owner --sort=name --mtime=@1 -cf "$img/layer.tar" -- *)
diff_id=$(sha256sum "$img/layer.tar" | cut -d' ' -f1)
cat >"$img/config.json" <<JSON
{"architecture":"$(dpkg --print-architecture)","os":"linux","created":"1970-01-01T00:00:01Z",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:01Z","created_by":"ci/image/base.sh: debootstrap --variant=minbase $suite"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["localhost/aimp-base:'"$suite"'"],"Layers":["layer.tar"]}]' >"$img/manifest.json"
(cd "$img" && tar --sort=name --mtime=@1 -cf "$out.partial" manifest.json config.json layer.tar)
mv "$out.partial" "$out"
# the bases of earlier versions of this script
find "$cache" -maxdepth 1 -name 'base-*.tar' ! -name "base-$hash.tar" -delete
echo "base image: $out ($(du -m "$out" | cut -f1) MB)" >&2
echo "$out"
