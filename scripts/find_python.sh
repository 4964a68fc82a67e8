#!/usr/bin/env bash
# Print the newest Python interpreter that carshare can run on (3.12 or newer), or fail with
# a clear message. `make` calls this unless PYTHON is given; PYTHON=... is checked the same way.
#
# Candidates, newest first: python3.14, python3.13, python3.12 and python3 on PATH, then the
# interpreters that pyenv keeps (pyenv's shims for a version that is not active fail to run, so
# each candidate is run once to ask its version).
set -uo pipefail

MIN_MAJOR=3
MIN_MINOR=12

# Succeed when interpreter $1 runs and is at least MIN_MAJOR.MIN_MINOR.
suitable() {
  "$1" -c "import sys; sys.exit(0 if sys.version_info >= ($MIN_MAJOR, $MIN_MINOR) else 1)" \
    >/dev/null 2>&1
}

# The version an interpreter reports (for the error message), or "does not run".
version_of() {
  "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || echo "does not run"
}

if [ -n "${1:-}" ]; then
  if suitable "$1"; then
    command -v "$1" || echo "$1"
    exit 0
  fi
  echo "carshare needs Python $MIN_MAJOR.$MIN_MINOR or newer; PYTHON=$1 is $(version_of "$1")." >&2
  exit 1
fi

candidates=(python3.14 python3.13 python3.12 python3)
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
if [ -d "$pyenv_root/versions" ]; then
  # Newest first: sort the version folders by version number, descending.
  while IFS= read -r dir; do
    candidates+=("$dir/bin/python3")
  done < <(find "$pyenv_root/versions" -mindepth 1 -maxdepth 1 -name '3.*' | sort -V -r)
fi

for candidate in "${candidates[@]}"; do
  if command -v "$candidate" >/dev/null 2>&1 && suitable "$candidate"; then
    # A pyenv shim runs only for the active version: print the real interpreter behind it.
    "$candidate" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done

found="$(command -v python3 >/dev/null 2>&1 && version_of python3 || echo none)"
echo "carshare needs Python $MIN_MAJOR.$MIN_MINOR or newer (found python3: $found). Install" \
  "python3.13 or python3.12, or name one: make PYTHON=/path/to/python3.13 install" >&2
exit 1
