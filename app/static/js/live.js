// htmx glue: the CSRF token on every request that changes something, and failed requests said
// out loud instead of failing silently. Fragments that poll (hx-trigger="every 2s") stop when the
// server answers 286 or sends a fragment without a trigger.
(function () {
  "use strict";
  var SAFE = { GET: true, HEAD: true, OPTIONS: true };
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && !SAFE[String(event.detail.verb).toUpperCase()]) event.detail.headers["X-CSRFToken"] = meta.content;
  });

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
  // A fragment swapped in with data-announce says what changed (a submission's new status) in the
  // polite live region. A 304 makes htmx swap the same HTML again, so only a new text is spoken;
  // the first page load says nothing (the page itself shows it).
  var announced = "";
  window.Nabla.enhance(function (root) {
    if (root === document.body || !root.matches || !root.matches("[data-announce]")) return;
    if (root.dataset.announce !== announced) {
      announced = root.dataset.announce;
      window.Nabla.announce(announced);
    }
  });
  // A 4xx or 5xx page never replaces live content; htmx's default already skips it, and the
  // element keeps its trigger, so polling carries on after a transient server error.
})();
