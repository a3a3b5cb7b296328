// Prism colours read-only code: <pre><code class="language-python">.
(function () {
  "use strict";
  window.Nabla.enhance(function (root) {
    if (!window.Prism) return;
    root.querySelectorAll("pre code[class*='language-']").forEach(function (element) {
      if (element.dataset.highlighted) return;
      window.Prism.highlightElement(element);
      element.dataset.highlighted = "true";
    });
  });
})();
