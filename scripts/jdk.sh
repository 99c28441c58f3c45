# Finds a JDK >= $required for the launcher and the scripts; sourced, not run.

# Prints the feature version of the JDK at $1 (e.g. 25), or nothing if it is not a JDK.
jdk_version() {
  local home="$1" v=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  fi
  echo "$v"
}

find_jdk() {
  local candidates=() c v
  [ -n "${SUPERNODE_JAVA_HOME:-}" ] && candidates+=("$SUPERNODE_JAVA_HOME")
  [ -n "${JAVA25_HOME:-}" ] && candidates+=("$JAVA25_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    v=$(jdk_version "$c")
    if [ -n "$v" ] && [ "$v" -ge "$required" ]; then
      echo "$c"
      return 0
    fi
  done
  return 1
}
