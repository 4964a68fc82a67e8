/* The Trusted Types default policy (the CSP requires Trusted Types for every HTML sink).
   Loaded first, without defer, on every page: each string a script gives to innerHTML,
   insertAdjacentHTML, DOMParser and the like passes through createHTML below.

   Inline scripts and event handlers are already refused by script-src, but a <meta
   http-equiv=refresh> inserted after parsing is still honoured by browsers (verified in
   Chromium 156) and no CSP directive stops it (navigate-to never shipped; sandbox without
   allow-scripts would stop every script). So any markup that carries http-equiv has its
   <meta> tags turned into text. Tag names and attribute names are matched the way the HTML
   tokenizer reads them: ASCII, case-insensitive, with no entity decoding. Pages' own markup
   (htmx fragments, Leaflet's controls) never carries http-equiv and passes unchanged.

   Script URLs (service worker registration, scripts htmx re-creates) must be this site's. */
(function () {
  "use strict";
  var tt = window.trustedTypes;
  if (!tt || !tt.createPolicy || tt.defaultPolicy) { return; }
  var META = /<(?=meta[\s\/>])/gi;
  tt.createPolicy("default", {
    createHTML: function (html) {
      html = String(html);
      return /http-equiv/i.test(html) ? html.replace(META, "&lt;") : html;
    },
    createScriptURL: function (url) {
      var parsed = new URL(String(url), document.baseURI);
      return parsed.origin === window.location.origin ? parsed.href : null;
    }
  });
}());
