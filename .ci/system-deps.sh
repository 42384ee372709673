#!/usr/bin/env bash
# System packages the project needs: PostgreSQL server binaries (Debian) for the PostgreSQL
# run, the DejaVu fonts embedded in paper PDFs, and Chromium for the browser tests. Installs only what is missing, and only
# when it can (root with apt).
set -euo pipefail
# `system-deps.sh run` needs only what serving needs (fonts); the default is everything tests need.
need=()
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || need+=(fonts-dejavu-core)
command -v fc-list >/dev/null || need+=(fontconfig)  # finds fonts outside Debian's directory
# The PWA is bundled with npm (make pwa), and bench/peer runs PouchDB Server on node.
command -v npm >/dev/null || need+=(nodejs npm)
if [[ "${1:-test}" != run ]]; then
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || need+=(postgresql)
  command -v runuser >/dev/null || need+=(util-linux)
  # tests/deploy runs the shipped nginx site in front of gunicorn; openssl makes its certificate.
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
  command -v openssl >/dev/null || need+=(openssl)
  command -v chromium >/dev/null || need+=(chromium)  # browser tests drive Debian's Chromium
  # Phones draw the domain icons (emoji) with a colour emoji font; so does the tests' Chromium.
  [[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]] || need+=(fonts-noto-color-emoji)
fi
# `system-deps.sh bench`: also valgrind, whose instruction counts bench/cost.py reads.
if [[ "${1:-test}" == bench ]]; then
  command -v valgrind >/dev/null || need+=(valgrind)
fi
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
