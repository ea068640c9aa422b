#!/usr/bin/env bash
# gis-tools.sh: make the GIS tools the OGC API and tile tests drive at hand:
# GDAL's command-line tools (ogrinfo, ogr2ogr: ogc/ogrinfo_test.go) and
# PyQGIS (Debian's python3-qgis, QGIS 3.22: ogc/qgis_test.go), and nothing
# else. Idempotent: what is there is not installed again. Both come from
# Debian's packages, as Chromium does in scripts/browser.sh; python3-qgis
# without its recommends is 171 packages, 195 MB, 3 min 41 s to install on
# the 2-core CI machine (measured with apt-get install -y
# --no-install-recommends python3-qgis).
set -euo pipefail

need=()
command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
/usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1 || need+=(python3-qgis)
if [ ${#need[@]} -eq 0 ]; then
	exit 0
fi

log() { printf 'gis-tools: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# A private temporary folder: a test that cleans /tmp cannot pull apt's
# archives away half-way through the install.
tmp=$(mktemp -d /var/tmp/gigakoll-gis.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

log "installing ${need[*]} from Debian"
as_root env TMPDIR="$tmp" apt-get update -qq >&2
as_root env TMPDIR="$tmp" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	-o DPkg::Lock::Timeout=300 --no-install-recommends "${need[@]}" >&2
command -v ogrinfo >/dev/null 2>&1 || { log "gdal-bin installed but ogrinfo is missing"; exit 1; }
/usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1 || { log "python3-qgis installed but /usr/bin/python3 cannot import qgis.core"; exit 1; }
log "installed: $(ogrinfo --version); QGIS $(/usr/bin/python3 -c 'from qgis.core import Qgis; print(Qgis.QGIS_VERSION)')"
