// The page's enhancers: each module registers a function that upgrades the elements it owns
// inside a root element. They run on the whole document once it is parsed, and again on
// every fragment htmx swaps in, so live content gets the same treatment as the page.
(function () {
  "use strict";
  var enhancers = [];
  var ready = false;

  function run(enhancer, root) {
    try {
      enhancer(root);
    } catch (error) {
      // One broken widget must not take the rest of the page down with it.
      if (window.console) console.error("nablagrade: enhancer failed", error);
    }
  }

  window.Nabla = {
    // Register fn(root); it is applied to the document now (if parsed) and to every swapped fragment.
    enhance: function (fn) {
      enhancers.push(fn);
      if (ready) run(fn, document.body);
    },
    // Say something to screen-reader users (and show it in the live region).
    announce: function (message) {
      var region = document.getElementById("live-status");
      if (region) region.textContent = message;
    },
  };

  document.documentElement.classList.remove("no-js");
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    ready = true;
    enhancers.forEach(function (fn) { run(fn, document.body); });
  });
  document.addEventListener("htmx:load", function (event) {
    // htmx also fires this for the body on start-up; that is DOMContentLoaded's job.
    if (!ready || event.target === document.body) return;
    enhancers.forEach(function (fn) { run(fn, event.target); });
  });
})();
