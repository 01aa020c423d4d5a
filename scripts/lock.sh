#!/usr/bin/env bash
# Regenerate the two lock files from pyproject.toml with pip-tools (`make lock`).
#
#   requirements.lock      the runtime dependencies ([project] dependencies): what a
#                          production host installs, nothing else
#   requirements-dev.lock  what the [project.optional-dependencies] dev extra adds on top
#                          (test, lint and browser tools), pinned against requirements.lock
#                          so a package both need has the same version in both
#
# Pins already in a lock file are kept (pip-compile prefers them); only new or changed
# requirements are resolved. To move a package on: UPGRADE="--upgrade-package NAME" make lock.
# pip-tools lives in a throwaway venv, never in .venv or in the locks.
set -euo pipefail
cd "$(dirname "$0")/.."

python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "pip-tools>=7.4"
export CUSTOM_COMPILE_COMMAND="make lock"  # the header's "by the following command"
# shellcheck disable=SC2206  # UPGRADE holds options, split on purpose
compile=("$work/venv/bin/pip-compile" --quiet --strip-extras --no-emit-find-links
    --no-emit-index-url ${UPGRADE:-})

"${compile[@]}" --output-file=requirements.lock pyproject.toml

# The dev extra alone, as a requirements file: pip-compile on pyproject.toml would also
# list every runtime dependency again.
{
    echo "-c $PWD/requirements.lock"
    "$work/venv/bin/python" - <<'EOF'
import tomllib

with open("pyproject.toml", "rb") as f:
    print("\n".join(tomllib.load(f)["project"]["optional-dependencies"]["dev"]))
EOF
} >"$work/dev.in"
"${compile[@]}" --output-file=requirements-dev.lock "$work/dev.in"
# Name the inputs as a reader knows them, not by this script's temporary paths.
sed -i -e "s|-c $PWD/requirements.lock|-c requirements.lock|" \
    -e "s|-r $work/dev.in|uppsikt[dev] (pyproject.toml)|" requirements-dev.lock
echo "requirements.lock and requirements-dev.lock written"
