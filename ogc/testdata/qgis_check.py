"""qgis_check.py: open gigakoll's layers in QGIS as the README's "Use in QGIS"
recipe does, headless, and report what QGIS saw as JSON on stdout.

Run by ogc/qgis_test.go with Debian's python3-qgis (QGIS 3.22) and
QT_QPA_PLATFORM=offscreen:

    python3 qgis_check.py BASE_URL TOKEN OUT_DIR

- An authentication database of its own (QGIS_AUTH_DB_DIR_PATH, set by the
  caller, in a temporary folder) holding one configuration of QGIS's built-in
  Basic method: any user name, the token as the password.
- The OGC API - Features layers (provider OAPIF) of every collection: the
  public ones without authentication, gaps and addresses with the Basic
  configuration; their features counted.
- The vector tile layers (xyz, zmin=0, zmax=14) of municipalities and
  squares.
- Maps in EPSG:3006 (SWEREF 99 TM) rendered to PNGs, and how many of their
  pixels are not the background: every layer over the features; the
  squares' tiles alone there, and at county scale (zoom 7).
"""

import json
import os
import sys

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsAuthMethodConfig,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def render(layers, extent, png):
    """Render layers over extent (EPSG:3006) to png; return its path and how
    many of its sampled pixels are not the white background."""
    settings = QgsMapSettings()
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3006"))
    settings.setLayers(list(reversed(layers)))
    settings.setExtent(extent)
    settings.setOutputSize(QSize(800, 800))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(png, "png")
    white = QColor(255, 255, 255).rgb()
    drawn = sum(1 for x in range(0, image.width(), 4) for y in range(0, image.height(), 4) if image.pixel(x, y) != white)
    return {"png": png, "sampled": (image.width() // 4) * (image.height() // 4), "drawn": drawn}


def main(base, token, out_dir):
    app = QgsApplication([], False)
    app.initQgis()
    report = {"qgis": Qgis.QGIS_VERSION, "layers": {}}

    # Settings > Options > Authentication: a master password, then a
    # configuration of the Basic method.
    am = QgsApplication.authManager()
    if not am.setMasterPassword("gigakoll-test", True):
        raise SystemExit("could not set the authentication database's master password")
    cfg = QgsAuthMethodConfig()
    cfg.setName("gigakoll")
    cfg.setMethod("Basic")
    cfg.setConfig("username", "qgis")
    cfg.setConfig("password", token)
    ok = am.storeAuthenticationConfig(cfg)
    if isinstance(ok, tuple):  # newer bindings return (ok, cfg)
        ok, cfg = ok
    if not ok or not cfg.id():
        raise SystemExit("could not store the Basic configuration")
    authcfg = cfg.id()

    project = QgsProject.instance()
    sweref = QgsCoordinateReferenceSystem("EPSG:3006")
    project.setCrs(sweref)

    layers = []
    for name, protected in (("municipalities", False), ("squares", False), ("projects", False),
                            ("gaps", True), ("addresses", True)):
        uri = "url='%s/ogc' typename='%s' restrictToRequestBBOX='0'" % (base, name)
        if protected:
            uri += " authcfg='%s'" % authcfg
        lyr = QgsVectorLayer(uri, name, "OAPIF")
        info = {"valid": lyr.isValid()}
        if lyr.isValid():
            info["features"] = sum(1 for _ in lyr.getFeatures())
            info["crs"] = lyr.crs().authid()
            info["fields"] = {f.name(): f.typeName() for f in lyr.fields()}
            layers.append(lyr)
        else:
            info["error"] = lyr.error().summary()
        report["layers"]["oapif:" + name] = info

    for name in ("municipalities", "squares"):
        url = "%s/tiles/%s/{z}/{x}/{y}.mvt" % (base, name)
        lyr = QgsVectorTileLayer("type=xyz&url=%s&zmin=0&zmax=14" % url.replace("&", "%26"), "tiles:" + name)
        report["layers"]["tiles:" + name] = {"valid": lyr.isValid(), "minzoom": lyr.sourceMinZoom(), "maxzoom": lyr.sourceMaxZoom()}
        if lyr.isValid():
            layers.append(lyr)

    for lyr in layers:
        project.addMapLayer(lyr)

    # The map: the features' extent, in SWEREF 99 TM.
    extent = QgsRectangle()
    for lyr in layers:
        if isinstance(lyr, QgsVectorLayer) and lyr.name() in ("squares", "gaps"):
            tr = QgsCoordinateTransform(lyr.crs(), sweref, project)
            e = tr.transformBoundingBox(lyr.extent())
            if extent.isEmpty():
                extent = e
            else:
                extent.combineExtentWith(e)
    extent.grow(max(extent.width(), extent.height()) * 0.1 + 500)
    report["extent_3006"] = [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()]
    report["maps"] = {"map": render(layers, extent, os.path.join(out_dir, "qgis-map.png"))}

    # The squares' tiles alone at county scale (400 km across: tiles of zoom
    # 7, the sums of public squares in 2 km squares).
    squares = [l for l in layers if l.name() == "tiles:squares"]
    c = extent.center()
    county = QgsRectangle(c.x() - 200000, c.y() - 200000, c.x() + 200000, c.y() + 200000)
    report["maps"]["squares_tiles"] = render(squares, extent, os.path.join(out_dir, "qgis-squares-tiles.png"))
    report["maps"]["squares_tiles_county"] = render(squares, county, os.path.join(out_dir, "qgis-squares-tiles-county.png"))

    json.dump(report, sys.stdout)
    sys.stdout.write("\n")
    app.exitQgis()


if __name__ == "__main__":
    main(*sys.argv[1:4])
