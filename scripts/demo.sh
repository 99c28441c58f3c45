#!/usr/bin/env bash
# Runs one of the teaching demos in examples/ (io.supernode.examples): scripts/demo.sh RingAllReduceDemo.
# Without an argument, lists them. Finds a JDK >= 25 as the launcher does and builds what is stale first.
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
required=25
# shellcheck source=jdk.sh
. "$here/scripts/jdk.sh"

demos="$here/examples/src/main/java/io/supernode/examples"
if [ $# -ne 1 ]; then
  echo "usage: scripts/demo.sh NAME   (one of: $(cd "$demos" && ls ./*.java | sed 's|^\./||; s|\.java$||' | paste -sd ' ' -))" >&2
  exit 2
fi
if [ ! -f "$demos/$1.java" ]; then
  echo "demo: no demo named '$1' (known: $(cd "$demos" && ls ./*.java | sed 's|^\./||; s|\.java$||' | paste -sd ' ' -))" >&2
  exit 2
fi
if ! java_home=$(find_jdk); then
  echo "demo: needs a JDK $required or newer and found none (looked at JAVA_HOME, java on PATH, /usr/lib/jvm, SDKMAN)." >&2
  exit 1
fi

jar=$(ls "$here"/examples/target/examples-*.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ] || [ ! -d "$here/cli/target/lib" ] \
   || [ -n "$(find "$here" -path '*/target' -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print -quit)" ]; then
  echo "demo: building (first run or sources changed) ..." >&2
  log="$(mktemp -t supernode-demo-build.XXXXXX)"
  if ! (cd "$here" && mvn -B -q -DskipTests -pl cli,examples -am package >"$log" 2>&1); then
    cat "$log" >&2
    echo "demo: build failed (log above)" >&2
    exit 1
  fi
  rm -f "$log"
  jar=$(ls "$here"/examples/target/examples-*.jar | head -n 1)
  touch "$jar"
fi

# The same JVM flags as the launcher: native access for mmap, Chronicle's Unsafe, no analytics.
exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dchronicle.analytics.disable=true -Dchronicle.disk.monitor.disable=true -XX:+UseSerialGC \
  -cp "$jar:$here/cli/target/lib/*" "io.supernode.examples.$1"
