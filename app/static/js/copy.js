// "Copy" buttons: <button type="button" data-copy="ID"> copies the value (or text) of the element
// with that id to the clipboard and says so. Without JavaScript the buttons stay hidden (class
// "js-only") and the read-only field can still be selected and copied by hand.
(function () {
  "use strict";

  function fallbackCopy(source) {
    // navigator.clipboard needs a secure context (https or localhost); select-and-copy does not.
    source.focus();
    source.select();
    try { return document.execCommand("copy"); } catch (error) { return false; }
  }

  Nabla.enhance(function (root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (button.dataset.copyReady) return;
      button.dataset.copyReady = "true";
      button.hidden = false;
      var label = button.textContent;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.copy);
        if (!source) return;
        var text = "value" in source ? source.value : source.textContent;
        var done = function (ok) {
          button.textContent = ok ? "Copied" : "Select and copy";
          Nabla.announce(ok ? "Link copied to the clipboard." : "Could not copy: select the link and copy it.");
          window.setTimeout(function () { button.textContent = label; }, 2500);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(source)); });
        } else {
          done(fallbackCopy(source));
        }
      });
    });
  });
})();
