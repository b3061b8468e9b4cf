"""Validation of the GeoJSON geometry that draws a zone (RFC 7946 Polygon or MultiPolygon)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _check_ring(ring, where: str) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(
            _("%(where)s: a ring needs at least 4 positions (the first repeated last).")
            % {"where": where}
        )
    for i, pos in enumerate(ring):
        if (
            not isinstance(pos, list | tuple)
            or len(pos) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pos[:2])
        ):
            raise ValidationError(
                _("%(where)s, position %(i)s: expected [longitude, latitude] numbers.")
                % {"where": where, "i": i}
            )
        lon, lat = pos[0], pos[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError(
                _("%(where)s, position %(i)s: longitude or latitude out of range.")
                % {"where": where, "i": i}
            )
    if list(ring[0][:2]) != list(ring[-1][:2]):
        raise ValidationError(
            _("%(where)s: the ring is not closed (the last position must equal the first).")
            % {"where": where}
        )


def _check_polygon(rings, where: str) -> None:
    if not isinstance(rings, list) or not rings:
        raise ValidationError(_("%(where)s: a polygon needs at least one ring.") % {"where": where})
    for k, ring in enumerate(rings):
        _check_ring(ring, f"{where}, ring {k}")


def validate_zone_geometry(value) -> None:
    """Accept a GeoJSON Polygon or MultiPolygon geometry (or a Feature holding one)."""
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict):
        raise ValidationError(_("Expected a GeoJSON geometry object."))
    kind = value.get("type")
    coords = value.get("coordinates")
    if kind == "Polygon":
        _check_polygon(coords, _("polygon"))
    elif kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise ValidationError(_("A MultiPolygon needs at least one polygon."))
        for n, rings in enumerate(coords):
            _check_polygon(rings, _("polygon %(n)s") % {"n": n})
    else:
        raise ValidationError(
            _("Geometry type must be Polygon or MultiPolygon, not %(kind)s.") % {"kind": kind}
        )


def centroid(value) -> tuple[float, float] | None:
    """A rough centre (lat, lon) of the geometry's first ring: the mean of its vertices."""
    if not value:
        return None
    if value.get("type") == "Feature":
        value = value["geometry"]
    ring = value["coordinates"][0] if value["type"] == "Polygon" else value["coordinates"][0][0]
    pts = ring[:-1] or ring
    return (sum(p[1] for p in pts) / len(pts), sum(p[0] for p in pts) / len(pts))
