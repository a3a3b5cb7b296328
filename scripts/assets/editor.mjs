// Source of app/static/vendor/codemirror/editor.min.js (bundled by scripts/build-assets.sh).
// window.NablaEditor.attach(textarea) puts a CodeMirror 6 Python editor in place of a
// <textarea> and keeps the textarea's value in step with it, so the form still submits the
// textarea as usual and the page works unchanged without JavaScript.
import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { indentWithTab, temporarilySetTabFocusMode } from "@codemirror/commands";
import { indentUnit } from "@codemirror/language";
import { python } from "@codemirror/lang-python";

const views = new WeakMap();

function labelFor(textarea) {
  if (textarea.labels && textarea.labels.length) return textarea.labels[0];
  return null;
}

function ensureId(element, prefix) {
  if (!element.id) element.id = prefix + "-" + Math.random().toString(36).slice(2, 10);
  return element.id;
}

function attach(textarea, options = {}) {
  if (!(textarea instanceof HTMLTextAreaElement)) throw new TypeError("NablaEditor.attach needs a <textarea>");
  if (views.has(textarea)) return views.get(textarea);

  const label = labelFor(textarea);
  // The editable element gets the textarea's accessible name and description.
  const attributes = { "aria-multiline": "true" };
  if (label) attributes["aria-labelledby"] = ensureId(label, "editor-label");
  else if (textarea.getAttribute("aria-label")) attributes["aria-label"] = textarea.getAttribute("aria-label");
  const describedBy = textarea.getAttribute("aria-describedby");
  if (describedBy) attributes["aria-describedby"] = describedBy;
  if (textarea.getAttribute("aria-invalid")) attributes["aria-invalid"] = textarea.getAttribute("aria-invalid");

  const sync = EditorView.updateListener.of((update) => {
    if (!update.docChanged) return;
    textarea.value = update.state.doc.toString();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  });

  const extensions = [
    basicSetup,
    // Tab indents (Python needs it); Escape then Tab, or Ctrl-M, moves focus out of the editor.
    keymap.of([indentWithTab, { key: "Escape", run: temporarilySetTabFocusMode }]),
    python(),
    indentUnit.of("    "),
    EditorState.tabSize.of(4),
    // Long lines wrap instead of scrolling sideways: a phone shows the whole line, and there is no
    // scroll box that only a mouse can reach.
    EditorView.lineWrapping,
    EditorView.contentAttributes.of(attributes),
    sync,
  ];
  if (textarea.readOnly || options.readOnly) extensions.push(EditorState.readOnly.of(true));

  const wrapper = document.createElement("div");
  wrapper.className = "editor";
  textarea.insertAdjacentElement("afterend", wrapper);
  const view = new EditorView({ doc: textarea.value, extensions, parent: wrapper });

  // The textarea stays in the form (it is what gets submitted) but is no longer shown.
  textarea.hidden = true;
  textarea.setAttribute("aria-hidden", "true");
  textarea.tabIndex = -1;
  textarea.dataset.editorAttached = "true";
  if (label) label.addEventListener("click", () => view.focus());
  if (textarea.form) {
    textarea.form.addEventListener("submit", () => { textarea.value = view.state.doc.toString(); });
    textarea.form.addEventListener("reset", () => {
      // The reset restores the textarea's default value after this event; follow it.
      setTimeout(() => setValue(textarea, textarea.value), 0);
    });
  }
  views.set(textarea, view);
  return view;
}

function setValue(textarea, text) {
  const view = views.get(textarea);
  if (!view) { textarea.value = text; return; }
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

function detach(textarea) {
  const view = views.get(textarea);
  if (!view) return;
  textarea.value = view.state.doc.toString();
  view.dom.parentElement.remove();
  view.destroy();
  views.delete(textarea);
  textarea.hidden = false;
  textarea.removeAttribute("aria-hidden");
  textarea.removeAttribute("tabindex");
  delete textarea.dataset.editorAttached;
}

window.NablaEditor = {
  attach,
  detach,
  setValue,
  view: (textarea) => views.get(textarea) || null,
};
