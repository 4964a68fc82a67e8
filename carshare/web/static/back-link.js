/* "Back" links (data-back) go back in history when there is one; else they follow href. */
(function () {
  "use strict";
  document.querySelectorAll("a[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  });
}());
