#!/usr/bin/env bash
# The container image's base: Debian bookworm (debootstrap --variant=minbase, plus ca-certificates) with
# the documentation, man pages, translations and apt lists removed, a non-root user `aimp` (10001:10001)
# owning /data and its home, written as a docker-save tarball (manifest.json + config + one layer) that
# Jib reads with a tar:// base. No registry and no container engine are needed.
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
mkdir -p "$cache"
work=$(mktemp -d "$cache/base-build.XXXXXX")
root="$work/rootfs"
cleanup() {
  # debootstrap mounts /proc (and maybe more) inside the tree while it works: never delete through a mount
  { findmnt -rn -o TARGET | grep -F "$root/" | sort -r | while read -r m; do umount -l "$m"; done; } || true
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
echo "base image: debootstrap $suite minbase from $mirror (once per version of $0) ..." >&2
debootstrap --variant=minbase --include=ca-certificates "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

# what a running gateway never reads (the JVM brings its own time zones and character sets)
cd "$root"
rm -rf --one-file-system usr/share/doc/* usr/share/man/* usr/share/info/* usr/share/locale/* usr/share/lintian \
  var/lib/apt/lists/* var/cache/apt/* var/cache/debconf/*-old var/log/* dev/* proc/* sys/* run/* \
  usr/lib/*-linux-gnu/gconv usr/share/zoneinfo/right
cd - >/dev/null
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
