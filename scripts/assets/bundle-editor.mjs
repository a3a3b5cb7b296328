// Bundles scripts/assets/editor.mjs into one IIFE with esbuild (run by scripts/build-assets.sh).
//
// One patch: style-mod, which injects CodeMirror's styles, writes a <style> element into a
// document and uses a constructed stylesheet (adoptedStyleSheets) only inside shadow roots. Our
// Content-Security-Policy (style-src 'self') refuses the <style> element but not a constructed
// sheet, so the bundle uses constructed sheets wherever the browser has them.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";

const [entry, outfile] = process.argv.slice(2);
const ORIGINAL = "if (!root.head && root.adoptedStyleSheets && win.CSSStyleSheet) {";
const PATCHED = "if (root.adoptedStyleSheets && win.CSSStyleSheet) {";

const constructedStyleSheets = {
  name: "constructed-stylesheets",
  setup(b) {
    b.onLoad({ filter: /style-mod[\\/]src[\\/]style-mod\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes(ORIGINAL)) {
        throw new Error("style-mod changed: update the CSP patch in scripts/assets/bundle-editor.mjs");
      }
      return { contents: source.replace(ORIGINAL, PATCHED), loader: "js" };
    });
  },
};

const result = await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  plugins: [constructedStyleSheets],
});
const patched = Object.keys(result.metafile.inputs).some((path) => /style-mod/.test(path));
if (!patched) throw new Error("style-mod is no longer in the bundle: check the CSP patch");
