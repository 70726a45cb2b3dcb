#!/usr/bin/env bash
# Every C source and header tracked by git follows .clang-format.
set -u
cd "${MTCSIM_SOURCE_DIR:-$(dirname "$0")/../..}"
command -v clang-format >/dev/null || { echo "clang-format missing (scripts/install-deps.sh installs it)"; exit 1; }
bad=0; n=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*'); do
  n=$((n + 1))
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run clang-format -i $f)"; bad=$((bad + 1))
  fi
done
echo "$((n - bad)) passed, $bad failed"
[ "$bad" -eq 0 ]
