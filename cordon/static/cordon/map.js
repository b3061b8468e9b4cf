// The operation map: zones as polygons coloured by kind and state, sites as markers.
// No tile server is needed: without CORDON_MAP_TILES the features draw on a blank background.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var labels = JSON.parse(document.getElementById("map-labels").textContent || "{}");
  var map = L.map(el, { zoomSnap: 0.25 });
  var dots = L.canvas({ padding: 0.5 });  // a thousand sampling points draw fast on a canvas
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map);
  }
  var colours = { lockdown: "#c0392b", controlled: "#e08e0b" };
  var siteColours = {
    checkpoint: "#1f6fbf", cordon_gate: "#6c3483", isolation_hotel: "#117a65",
    sampling_grid: "#2e86c1", sampling_point: "#85c1e9", camera_point: "#566573",
    hq_gate: "#17416b", command_post: "#17416b"
  };
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function popup(p) {
    var rows = "<strong><a href=\"" + esc(p.url) + "\">" + esc(p.code) + " " + esc(p.name) +
      "</a></strong><br>" + esc(p.kind_label);
    if (p.state_label) { rows += " · " + esc(p.state_label); }
    if (p.station) { rows += "<br>" + esc(p.station); }
    if (p.posts) { rows += "<br>" + esc(labels.posts || "posts") + ": " + p.posts; }
    return rows;
  }
  var zoneLayer = L.featureGroup().addTo(map);
  var siteLayer = L.featureGroup().addTo(map);
  var samplingLayer = L.featureGroup();
  var byCode = {};
  fetch(el.dataset.src, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      data.features.forEach(function (f) {
        var p = f.properties;
        var layer;
        if (p.layer === "zone") {
          var live = p.state === "active";
          layer = L.geoJSON(f, { style: {
            color: live ? colours[p.kind] : "#8a94a3", weight: p.kind === "lockdown" ? 2 : 1.5,
            fillOpacity: live ? (p.kind === "lockdown" ? 0.35 : 0.15) : 0.08,
            dashArray: live ? null : "4 4"
          } });
          layer.bindPopup(popup(p));
          layer.zoneCode = p.code;
          zoneLayer.addLayer(layer);
        } else {
          var target = p.kind === "sampling_point" ? samplingLayer : siteLayer;
          var c = f.geometry.coordinates;
          layer = L.circleMarker([c[1], c[0]], {
            renderer: dots, radius: p.kind === "sampling_point" ? 3 : 6, weight: 1, color: "#fff",
            fillColor: siteColours[p.kind] || "#333", fillOpacity: 0.9
          }).bindPopup(popup(p));
          target.addLayer(layer);
        }
        byCode[p.layer + ":" + p.code] = layer;
      });
      el.setAttribute("data-zones", String(zoneLayer.getLayers().length));
      el.setAttribute("data-sites", String(siteLayer.getLayers().length +
        samplingLayer.getLayers().length));
      var focus = new URLSearchParams(window.location.search).get("focus");
      var bounds = zoneLayer.getLayers().length ? zoneLayer.getBounds() : siteLayer.getBounds();
      if (focus && byCode[focus]) {
        var t = byCode[focus];
        if (t.getBounds) { map.fitBounds(t.getBounds(), { maxZoom: 17 }); } else { map.setView(t.getLatLng(), 17); }
        t.openPopup();
      } else if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [20, 20] });
      } else {
        map.setView([0, 0], 2);
      }
      // Paths exist once the map has a view: name each zone's path for tests and assistive tools.
      zoneLayer.eachLayer(function (group) {
        group.eachLayer(function (l) {
          var path = l.getElement && l.getElement();
          if (path) {
            path.setAttribute("data-zone", group.zoneCode);
            path.setAttribute("aria-label", group.zoneCode);
          }
        });
      });
    });
  var toggle = document.getElementById("show-sampling");
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) { samplingLayer.addTo(map); } else { map.removeLayer(samplingLayer); }
    });
  }
})();
