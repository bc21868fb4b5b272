#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver for the browser tests when they are missing and we
# may install system packages (root). Otherwise says what to install; the browser tests then fail
# with that message rather than pass silently.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
else
  echo "chromium and chromium-driver are missing: install them (apt-get install chromium chromium-driver)" >&2
fi
