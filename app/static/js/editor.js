// <textarea data-editor="python"> becomes a CodeMirror editor (vendor/codemirror/editor.min.js).
// The textarea stays in the form and is kept in step, so submitting works as without JavaScript.
(function () {
  "use strict";
  window.Nabla.enhance(function (root) {
    if (!window.NablaEditor) return;
    root.querySelectorAll("textarea[data-editor]").forEach(function (textarea) {
      if (!textarea.dataset.editorAttached) window.NablaEditor.attach(textarea);
    });
  });
})();
