#!/bin/sh
# The user baomi-watch.service runs as; give it read access to the shares
# it watches. Nothing is started: see /usr/share/doc/baomi/用户指南.md.
set -e
if ! getent passwd baomi >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin baomi 2>/dev/null ||
    adduser --system --no-create-home --group baomi 2>/dev/null || true
fi
if command -v systemctl >/dev/null 2>&1; then
  systemctl daemon-reload >/dev/null 2>&1 || true
fi
