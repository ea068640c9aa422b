#!/usr/bin/env bash
# browser.sh: make Debian's Chromium available at /usr/bin/chromium for the
# browser tests (web/e2e), and nothing else. Idempotent: when /usr/bin/chromium
# exists, it does nothing. The browser comes from Debian's packages only; no
# tool downloads a browser build of its own (playwright-core drives this one).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
	exit 0
fi

log() { printf 'browser: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# apt links the archives it unpacks in $TMPDIR; a private directory keeps a
# test that cleans /tmp from pulling them away half-way through an install.
tmp=$(mktemp -d /var/tmp/gigakoll-browser.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Without recommends: the tests need no printer setup, avahi or notification
# daemon. A font comes with chromium's own dependencies (fontconfig-config
# depends on one, fonts-dejavu-core by default), and SwiftShader, the
# software WebGL the map needs here, ships inside the chromium package.
log "installing chromium from Debian"
as_root env TMPDIR="$tmp" apt-get update -qq >&2
as_root env TMPDIR="$tmp" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	-o DPkg::Lock::Timeout=300 --no-install-recommends chromium >&2
[ -x /usr/bin/chromium ] || { log "chromium installed but /usr/bin/chromium is missing"; exit 1; }
log "installed: $(/usr/bin/chromium --version 2>/dev/null)"
