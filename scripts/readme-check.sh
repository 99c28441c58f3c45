#!/usr/bin/env bash
# Runs every command the README shows, as a newcomer would: in a fresh clone of this checkout (no sibling
# folders), each line of each plain code block that starts with ./supernode, scripts/, benchmarks/ or mvn, one
# after another, each stopped after 15 minutes.
# Prints, per command, its exit status and wall seconds; the commands' output goes to one log file per command.
# Usage: scripts/readme-check.sh [LOG_DIR]   (about half an hour on 2 cores; the JMH ratio runs take most of it)
set -uo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work="$(mktemp -d -t supernode-readme.XXXXXX)"
logs="${1:-$work/logs}"
mkdir -p "$logs"
git clone --quiet "$here" "$work/supernode" || { echo "readme-check: cannot clone $here" >&2; exit 1; }
cd "$work/supernode" || exit 1

# Plain fenced blocks only (not java, xml, ...); a line ending in a backslash continues on the next one.
commands=$(awk '
  /^```/ { if (block) { block = 0; plain = 0 } else { block = 1; plain = ($0 == "```" || $0 == "```bash" || $0 == "```sh") } next }
  plain { line = line $0; if (line ~ /\\$/) { sub(/\\$/, " ", line); next } print line; line = "" }
' README.md | sed 's/^[[:space:]]*//' | grep -E '^(\./supernode|scripts/|benchmarks/|mvn )')

failed=0
n=0
printf '%6s  %4s  %s\n' "wall s" "exit" "command"
while IFS= read -r command; do
  n=$((n + 1))
  start=$(date +%s.%N)
  timeout 900 bash -c "$command" >"$logs/$n.log" 2>&1 </dev/null
  status=$?
  end=$(date +%s.%N)
  printf '%6.1f  %4d  %s\n' "$(echo "$end - $start" | bc)" "$status" "$command"
  [ "$status" -eq 0 ] || failed=$((failed + 1))
done <<< "$commands"
echo "# $n commands from README.md in a fresh clone, $failed failed; logs in $logs"
[ "$failed" -eq 0 ]
