#!/usr/bin/env bash
# System packages the test suite needs: PostgreSQL server binaries (Debian) for the PostgreSQL
# run. Installs only what is missing, and only when it can (root with apt).
set -euo pipefail
need=()
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || need+=(postgresql)
command -v runuser >/dev/null || need+=(util-linux)
if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing system packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "missing system packages (${need[*]}); the tests that need them will be skipped" >&2
  fi
fi
