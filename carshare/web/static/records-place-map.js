// Pick a place's position on a Leaflet map; the latitude and longitude inputs always work alone.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("place-map");
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  if (!el || !lat || !lon || typeof L === "undefined") { return; }
  var typed = function () {
    var a = parseFloat(lat.value), b = parseFloat(lon.value);
    return isFinite(a) && isFinite(b) ? [a, b] : null;
  };
  var start = typed() || [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
  var map = L.map(el, { attributionControl: !!el.dataset.tiles }).setView(start, 12);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
  }
  var marker = L.circleMarker(start, { radius: 9, color: "#0b5cad", fillOpacity: 0.9 });
  if (typed()) { marker.addTo(map); }
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
