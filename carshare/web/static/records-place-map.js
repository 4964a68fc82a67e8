// Pick a place's position on a Leaflet map; the latitude and longitude inputs always work alone.
// Without map tiles the town's facilities are drawn as labelled landmarks to find one's way;
// labels are text (map-text.js), never markup.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("place-map");
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  if (!el || !lat || !lon || typeof L === "undefined") { return; }
  var typed = function () {
    var a = parseFloat(lat.value), b = parseFloat(lon.value);
    return isFinite(a) && isFinite(b) ? [a, b] : null;
  };
  var landmarks = JSON.parse(el.dataset.landmarks || "[]");
  var map = L.map(el, { attributionControl: !!el.dataset.tiles });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
  }
  landmarks.forEach(function (p) {
    L.circleMarker([p.lat, p.lon], { radius: 5, color: "#555", fillOpacity: 0.6 })
      .bindTooltip(carshareLabel(p.label), { permanent: !el.dataset.tiles, direction: "right" }).addTo(map);
  });
  var marker = L.circleMarker([0, 0], { radius: 9, color: "#0b5cad", fillOpacity: 0.9 });
  var start = typed();
  if (start) {
    marker.setLatLng(start).addTo(map);
    map.setView(start, 13);
  } else if (landmarks.length) {
    map.fitBounds(L.latLngBounds(landmarks.map(function (p) { return [p.lat, p.lon]; })).pad(0.1));
  } else {
    map.setView([36.0, 138.0], 5);
  }
  map.on("click", function (e) {
    lat.value = e.latlng.lat.toFixed(6);
    lon.value = e.latlng.lng.toFixed(6);
    marker.setLatLng(e.latlng).addTo(map);
  });
  var follow = function () {
    var point = typed();
    if (point) { marker.setLatLng(point).addTo(map); map.panTo(point); }
  };
  lat.addEventListener("change", follow);
  lon.addEventListener("change", follow);
});
