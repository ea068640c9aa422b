#!/usr/bin/env bash
# gis-tools.sh: make GDAL's command-line tools (ogrinfo, ogr2ogr) available
# for the OGC API – Features test (ogc/ogrinfo_test.go), and nothing else.
# Idempotent: when ogrinfo is on PATH, it does nothing. GDAL comes from
# Debian's packages (gdal-bin), as Chromium does in scripts/browser.sh.
set -euo pipefail

if command -v ogrinfo >/dev/null 2>&1; then
	exit 0
fi

log() { printf 'gis-tools: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# A private temporary folder: a test that cleans /tmp cannot pull apt's
# archives away half-way through the install.
tmp=$(mktemp -d /var/tmp/gigakoll-gis.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

log "installing gdal-bin from Debian"
as_root env TMPDIR="$tmp" apt-get update -qq >&2
as_root env TMPDIR="$tmp" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	-o DPkg::Lock::Timeout=300 --no-install-recommends gdal-bin >&2
command -v ogrinfo >/dev/null 2>&1 || { log "gdal-bin installed but ogrinfo is missing"; exit 1; }
log "installed: $(ogrinfo --version)"
