/* The driver's manifest: button presses are queued on the phone and sent when online. */
(function () {
  "use strict";
  var KEY = "carshare.driver.queue";
  var root = document.getElementById("driver-day");

  /* Signing out of a shared phone forgets the cached manifests (riders' names and numbers). */
  document.addEventListener("submit", function (event) {
    if (!event.target.classList || !event.target.classList.contains("signout")) { return; }
    if (window.caches) { window.caches.delete("carshare-driver-v1"); }
  });
  if (!root) { return; }

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function save(queue) { window.localStorage.setItem(KEY, JSON.stringify(queue)); }
  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(16) + "-" + Math.random().toString(16).slice(2);
  }
  function say(text) {
    var box = document.getElementById("queue-status");
    if (box) { box.textContent = text; }
  }
  function waiting() {
    var n = load().length;
    if (n) { say(root.dataset.msgWaiting.replace("{n}", n)); }
  }

  function send(item) {
    return fetch(item.url, {
      method: "POST", credentials: "same-origin", body: new URLSearchParams(item.fields),
      headers: {"X-Carshare-Queue": "1", "Accept": "application/json"}
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status >= 500) { throw new Error("server"); }
        return {ok: response.ok, message: data.message || "", ask: data.ask === true};
      });
    });
  }

  var busy = false;
  function flush() {
    var queue = load();
    if (busy || !queue.length) { return; }
    busy = true;
    send(queue[0]).then(function (result) {
      var rest = load();
      var item = rest.shift();
      if (result.ask && item && window.confirm(result.message)) {  /* far from the plan */
        item.fields.confirmed = "1";
        rest.unshift(item);
        result = {ok: true};
      }
      save(rest);
      busy = false;
      if (result.ask) { window.location.reload(); return; }  /* not recorded: as it was */
      if (!result.ok) { say(result.message); return; }
      if (rest.length) { flush(); } else { say(root.dataset.msgSent); window.location.reload(); }
    }).catch(function () { busy = false; waiting(); });
  }

  function queuePress(event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("press")) { return; }
    event.preventDefault();
    var fields = {};
    new FormData(form).forEach(function (value, name) { fields[name] = value; });
    fields.client_event_id = newId().replace(/-/g, "");
    fields.happened_at = new Date().toISOString();
    var queue = load();
    queue.push({url: form.action, fields: fields});
    save(queue);
    form.querySelector("button").disabled = true;
    say(root.dataset.msgQueued);
    flush();
  }

  document.addEventListener("submit", queuePress);
  window.addEventListener("online", flush);
  if ("serviceWorker" in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw).catch(function () { return null; });
  }
  if (window.caches && navigator.onLine) {  /* this page, readable later without a connection */
    var pages = [window.location.href];
    document.querySelectorAll("link[rel=stylesheet], script[src]").forEach(function (el) {
      pages.push(el.href || el.src);
    });
    window.caches.open("carshare-driver-v1").then(function (cache) {
      return cache.addAll(pages);
    }).catch(function () { return null; });
  }
  waiting();
  flush();
}());
