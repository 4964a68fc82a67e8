/* Map labels are text, never markup: place names come from staff, API tokens and residents'
   names. Leaflet's tooltips and popups insert a string given to them as HTML; this file,
   loaded right after leaflet.js, makes every tooltip and popup of every map on the page treat
   a string (or a function's string result) as text. Map scripts also build their labels with
   carshareLabel(), so a page that forgot this file fails closed instead of drawing markup. */
(function () {
  "use strict";
  function label(text) {
    var span = document.createElement("span");
    span.textContent = String(text);
    return span;
  }
  function asText(content) {
    if (typeof content === "string") { return label(content); }
    if (typeof content === "function") {
      return function (layer) { return asText(content(layer)); };
    }
    return content;
  }
  window.carshareLabel = label;
  if (typeof L === "undefined" || !L.DivOverlay) { return; }
  var setContent = L.DivOverlay.prototype.setContent;
  L.DivOverlay.prototype.setContent = function (content) {
    return setContent.call(this, asText(content));
  };
}());
