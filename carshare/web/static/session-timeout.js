/* Idle timeout warning for staff pages (no inline script: the CSP forbids it).
   The server ends a session after data-idle-timeout seconds without activity. This script
   shows the #idle-warning box data-idle-warning seconds before, asks the server how much time
   is really left (another tab may have been used), lets "Stay signed in" extend the session
   without leaving the page, and reloads at the end so that no personal data stays on screen. */
(function () {
  "use strict";
  var body = document.body;
  var total = parseInt(body.dataset.idleTimeout || "0", 10);
  var warnBefore = parseInt(body.dataset.idleWarning || "120", 10);
  var box = document.getElementById("idle-warning");
  if (!total || !box) { return; }
  var left = box.querySelector(".idle-left");
  var form = box.querySelector("form");
  var deadline = 0;
  var timer = null;

  function restart(seconds) {
    deadline = Date.now() + seconds * 1000;
    box.hidden = true;
    schedule();
  }

  function schedule() {
    window.clearTimeout(timer);
    var remaining = deadline - Date.now();
    var wait = remaining - warnBefore * 1000;
    timer = window.setTimeout(wait > 0 ? check : tick, Math.max(wait, 0));
  }

  function check() {  /* before warning, ask the server: another tab may have been active */
    fetch(body.dataset.sessionState, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {idle_left: 0}; })
      .then(function (state) {
        deadline = Date.now() + state.idle_left * 1000;
        if (state.idle_left > warnBefore) { schedule(); } else { tick(); }
      })
      .catch(tick);
  }

  function tick() {
    var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (seconds <= 0) { window.location.reload(); return; }
    box.hidden = false;
    left.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    timer = window.setTimeout(tick, 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (state) { restart(state.idle_left); })
      .catch(function () { form.submit(); });
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var header = event.detail.xhr && event.detail.xhr.getResponseHeader("X-Carshare-Idle-Left");
    if (header !== null && header !== undefined && header !== "") {
      var seconds = parseInt(header, 10);
      if (deadline - Date.now() < seconds * 1000) { restart(seconds); }
    }
  });

  restart(total);
}());
