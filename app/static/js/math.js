// KaTeX on every element marked data-math: $...$ and \( \) inline, $$...$$ and \[ \] displayed.
// Rendering builds DOM nodes (not style="" markup), which the Content-Security-Policy allows.
(function () {
  "use strict";
  var OPTIONS = {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
      { left: "$", right: "$", display: false },
    ],
    throwOnError: false, // a typo in a statement shows the source in red, not a blank
    output: "htmlAndMathml", // MathML for screen readers
    strict: "ignore",
  };

  window.Nabla.enhance(function (root) {
    if (typeof window.renderMathInElement !== "function") return;
    var targets = root.matches && root.matches("[data-math]") ? [root] : [];
    root.querySelectorAll("[data-math]").forEach(function (element) { targets.push(element); });
    targets.forEach(function (element) {
      if (element.dataset.mathRendered) return;
      window.renderMathInElement(element, OPTIONS);
      element.dataset.mathRendered = "true";
    });
  });
})();
