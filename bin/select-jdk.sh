# Sourced by ./mvnw and bin/aimp-gateway: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, then the `java` on PATH, then the usual install folders.
# Fails with one clear line when no JDK >= 21 is found.

aimp_java_major() {
  # prints the feature version of the java binary $1 (e.g. 25), or nothing; reads the JDK's release
  # file when it has one (starting a JVM only to ask costs ~0.1 s per JDK looked at)
  aimp_release="$(dirname "$(dirname "$1")")/release"
  if [ -x "$1" ] && [ -f "$aimp_release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$aimp_release" | head -n 1
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

aimp_select_jdk() {
  aimp_min=21
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(aimp_java_major "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge "$aimp_min" ]; then return 0; fi
    echo "note: JAVA_HOME=$JAVA_HOME is Java ${v:-?}; AIMP Gateway needs >= $aimp_min, looking for another JDK" >&2
  fi
  if command -v javac >/dev/null 2>&1; then
    j=$(readlink -f "$(command -v javac)")
    home=$(dirname "$(dirname "$j")")
    v=$(aimp_java_major "$home/bin/java")
    if [ -n "$v" ] && [ "$v" -ge "$aimp_min" ]; then JAVA_HOME=$home; export JAVA_HOME; return 0; fi
  fi
  best="" bestv=0
  case $- in *f*) aimp_noglob=1; set +f ;; *) aimp_noglob=0 ;; esac
  for home in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
              "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$home/bin/javac" ] || continue
    v=$(aimp_java_major "$home/bin/java")
    if [ -n "$v" ] && [ "$v" -ge "$aimp_min" ] && [ "$v" -gt "$bestv" ]; then best=$home bestv=$v; fi
  done
  [ "$aimp_noglob" = 1 ] && set -f
  if [ -n "$best" ]; then JAVA_HOME=$best; export JAVA_HOME; return 0; fi
  echo "error: AIMP Gateway needs a JDK >= $aimp_min (Temurin 25 recommended); set JAVA_HOME to one" >&2
  return 1
}

aimp_select_jdk || exit 1
