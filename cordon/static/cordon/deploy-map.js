// The deployment map (警力部署图): zones as on the zone map, each post a marker at its site,
// coloured by how its shifts of the reporting day are staffed. No tile server is needed.
// Each marker's element carries data-post="CODE" and data-coverage="ok|part|none|idle".
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var labels = JSON.parse(document.getElementById("map-labels").textContent || "{}");
  var map = L.map(el, { zoomSnap: 0.25 });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map);
  }
  var zoneColours = { lockdown: "#c0392b", controlled: "#e08e0b" };
  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function zonePopup(p) {
    return "<strong><a href=\"" + esc(p.url) + "\">" + esc(p.code) + " " + esc(p.name) +
      "</a></strong><br>" + esc(p.kind_label) + " · " + esc(p.state_label) +
      "<br>" + esc(p.station);
  }
  function postPopup(p) {
    var html = "<strong><a href=\"" + esc(p.url) + "\">" + esc(p.code) + " " + esc(p.name) +
      "</a></strong><br>" + esc(p.site) + (p.zone ? " · " + esc(p.zone) : "") +
      "<br>" + esc(labels[p.coverage] || p.coverage) + ": " + p.staffed + " / " + p.wanted;
    p.shifts.forEach(function (s) {
      html += "<br><b>" + esc(s.name) + " " + esc(s.start) + "</b> " + s.staffed + "/" + s.wanted;
      if (s.leader) {
        html += " ★" + esc(s.leader);
      } else if (s.leaders_wanted && !s.led) {
        html += " <em>" + esc(labels.no_leader) + "</em>";
      }
      var others = s.people.filter(function (n) { return n !== s.leader; });
      if (others.length) { html += ": " + esc(others.join(", ")); }
    });
    html += "<br><a href=\"" + esc(p.url) + "\">" + esc(labels.roster) + " ›</a>";
    return html;
  }
  // Posts sharing a site are set around it on a small ring, so each can be tapped.
  var atSite = {};
  function spread(coords) {
    var key = coords[0] + "," + coords[1];
    var n = atSite[key] = (atSite[key] || 0) + 1;
    if (n === 1) { return [coords[1], coords[0]]; }
    var angle = (n - 2) * (Math.PI / 3);
    var ring = 0.00025 * Math.ceil((n - 1) / 6);
    return [coords[1] + ring * Math.sin(angle), coords[0] + ring * Math.cos(angle)];
  }
  var zoneLayer = L.featureGroup().addTo(map);
  var postLayer = L.featureGroup();
  var byCode = {};
  fetch(el.dataset.src, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      data.features.forEach(function (f) {
        var p = f.properties;
        if (p.layer === "zone") {
          var live = p.state === "active";
          var zone = L.geoJSON(f, { style: {
            color: live ? zoneColours[p.kind] : "#8a94a3", weight: p.kind === "lockdown" ? 2 : 1.5,
            fillOpacity: live ? (p.kind === "lockdown" ? 0.2 : 0.08) : 0.05,
            dashArray: live ? null : "4 4"
          } });
          zone.bindPopup(zonePopup(p));
          zone.zoneCode = p.code;
          zoneLayer.addLayer(zone);
          byCode["zone:" + p.code] = zone;
        } else if (p.layer === "post") {
          var marker = L.marker(spread(f.geometry.coordinates), {
            icon: L.divIcon({
              className: "post-marker post-" + p.coverage, iconSize: [22, 22],
              html: p.wanted || p.staffed ? String(p.staffed) : ""
            }),
            title: p.code + " " + p.name + " · " + (labels[p.coverage] || p.coverage),
            riseOnHover: true
          }).bindPopup(postPopup(p));
          marker.post = p;
          postLayer.addLayer(marker);
          byCode["post:" + p.code] = marker;
        }
      });
      var bounds = L.latLngBounds([]);
      if (zoneLayer.getLayers().length) { bounds.extend(zoneLayer.getBounds()); }
      if (postLayer.getLayers().length) { bounds.extend(postLayer.getBounds()); }
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [20, 20] });
      } else {
        map.setView([0, 0], 2);
      }
      // Markers need a view before they are drawn: add them now, then name their elements.
      postLayer.addTo(map);
      postLayer.eachLayer(function (m) {
        var node = m.getElement();
        if (node) {
          node.setAttribute("data-post", m.post.code);
          node.setAttribute("data-coverage", m.post.coverage);
          node.setAttribute("aria-label", m.post.code + " " + (labels[m.post.coverage] || ""));
        }
      });
      zoneLayer.eachLayer(function (group) {
        group.eachLayer(function (l) {
          var path = l.getElement && l.getElement();
          if (path) {
            path.setAttribute("data-zone", group.zoneCode);
            path.setAttribute("aria-label", group.zoneCode);
          }
        });
      });
      el.setAttribute("data-zones", String(zoneLayer.getLayers().length));
      el.setAttribute("data-posts", String(postLayer.getLayers().length));
      var focus = new URLSearchParams(window.location.search).get("focus");
      if (focus && byCode[focus]) {
        var target = byCode[focus];
        if (target.getBounds) {
          map.fitBounds(target.getBounds(), { maxZoom: 17 });
        } else {
          map.setView(target.getLatLng(), 17);
        }
        target.openPopup();
      }
    });
})();
