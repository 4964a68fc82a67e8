// Draw a trip's stops on a Leaflet map; the list beside it works without the map.
// Labels are text (map-text.js): stop names are place and home names typed by people.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var stops = JSON.parse(el.dataset.stops || "[]");
  if (!stops.length) { return; }
  var map = L.map(el, { attributionControl: !!el.dataset.tiles });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution || "" }).addTo(map);
  }
  var points = stops.map(function (s) { return [s.lat, s.lon]; });
  L.polyline(points, { color: "#0b5cad", weight: 4 }).addTo(map);
  stops.forEach(function (s, i) {
    L.circleMarker([s.lat, s.lon], { radius: 8, color: "#0b5cad", fillOpacity: 0.9 })
      .bindTooltip(carshareLabel((i + 1) + ". " + s.label), { permanent: false }).addTo(map);
  });
  map.fitBounds(L.latLngBounds(points).pad(0.2));
});
