/* Keeps the driver's manifest readable without a connection: network first, cache second. */
"use strict";
var CACHE = "carshare-driver-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  var wanted = url.pathname.indexOf("/driver/day") === 0 || url.pathname.indexOf("/static/") === 0;
  if (request.method !== "GET" || url.origin !== self.location.origin || !wanted) { return; }
  event.respondWith(fetch(request).then(function (response) {
    /* /driver/day redirects only to the sign-in: signed out (here or elsewhere), so the
       riders' names kept for offline use are forgotten. */
    if (response.type === "opaqueredirect" ||
        (response.redirected && new URL(response.url).pathname.indexOf("/me/login") === 0)) {
      caches.delete(CACHE);
      return response;
    }
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (hit) { return hit || Response.error(); });
  }));
});
