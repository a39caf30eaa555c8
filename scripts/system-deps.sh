#!/usr/bin/env bash
# Install the system programs the test suite drives: git, Debian's chromium (the HTML report
# test) and Debian's PostgreSQL server (the cluster tests start their own throw-away server).
# Does nothing when they are already there; needs root (or sudo) only when something is missing.
set -euo pipefail
missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v chromium >/dev/null 2>&1 || [[ -x /usr/bin/chromium ]] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "Installing system packages: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
