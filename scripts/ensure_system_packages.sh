#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing and we may install system packages
# (root): chromium and chromium-driver for the browser tests, a Java runtime for PySpark's local mode (the
# Spark job's test). Otherwise says what to install; those tests then fail with that message rather than
# pass silently.
set -euo pipefail
missing=()
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  missing+=(chromium chromium-driver)
fi
if ! command -v java >/dev/null 2>&1; then
  missing+=(default-jre-headless)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "missing system packages: ${missing[*]} (install them with apt-get)" >&2
fi
