// htmx glue: fragments that poll (hx-trigger="every 2s") stop when the server answers 286 or sends
// a fragment without a trigger; failed requests are said out loud instead of failing silently.
(function () {
  "use strict";
  var failures = 0;
  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail;
    if (detail.successful) {
      if (failures) window.Nabla.announce("Connection restored.");
      failures = 0;
      return;
    }
    failures += 1;
    if (failures === 1) window.Nabla.announce("Could not reach the server; still trying. Reload the page if this stays.");
  });
  // A 4xx or 5xx page never replaces live content; htmx's default already skips it, and the
  // element keeps its trigger, so polling carries on after a transient server error.
})();
