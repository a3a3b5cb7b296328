#!/usr/bin/env bash
# Rebuild the vendored front-end files in app/static/vendor/ (and the test-only axe-core copy)
# from the npm packages pinned in package.json / package-lock.json. The output is committed, so
# running the app needs no Node.js; run this after changing a version (docs/frontend.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=app/static/vendor
nm=node_modules

command -v npm >/dev/null || { echo "build-assets: npm is needed (apt-get install npm)" >&2; exit 1; }
# The lockfile is the source of truth: npm ci refuses a package.json that drifted from it.
npm ci --no-audit --no-fund --loglevel=error

rm -rf "$out"
mkdir -p "$out"/htmx "$out"/katex/fonts "$out"/uplot "$out"/prism "$out"/codemirror tests/support/vendor

cp "$nm"/htmx.org/dist/htmx.min.js "$out"/htmx/

cp "$nm"/katex/dist/katex.min.js "$nm"/katex/dist/contrib/auto-render.min.js "$out"/katex/
cp "$nm"/katex/dist/fonts/*.woff2 "$out"/katex/fonts/
# Every browser we serve reads woff2, so the woff and ttf fallbacks are dropped from the
# stylesheet instead of being shipped (0.3 MB of fonts instead of 1.2 MB).
sed -E 's/,url\(fonts\/[A-Za-z0-9_-]+\.woff\) format\("woff"\),url\(fonts\/[A-Za-z0-9_-]+\.ttf\) format\("truetype"\)//g' \
  "$nm"/katex/dist/katex.min.css > "$out"/katex/katex.min.css
if grep -Eq '\.(woff|ttf)\)' "$out"/katex/katex.min.css; then
  echo "build-assets: katex.min.css still names woff/ttf fonts; update the sed expression" >&2
  exit 1
fi

cp "$nm"/uplot/dist/uPlot.iife.min.js "$nm"/uplot/dist/uPlot.min.css "$out"/uplot/

cat "$nm"/prismjs/components/prism-core.min.js "$nm"/prismjs/components/prism-python.min.js > "$out"/prism/prism.min.js
cp "$nm"/prismjs/themes/prism.min.css "$out"/prism/

# CodeMirror 6 ships no browser bundle: one IIFE exposing window.NablaEditor.
# (bundle-editor.mjs also makes its styles CSP-safe: see the comment there.)
node scripts/assets/bundle-editor.mjs scripts/assets/editor.mjs "$out"/codemirror/editor.min.js

# Licences of everything that is served, next to it.
cp "$nm"/htmx.org/LICENSE "$out"/htmx/LICENSE
cp "$nm"/katex/LICENSE "$out"/katex/LICENSE
cp "$nm"/uplot/LICENSE "$out"/uplot/LICENSE
cp "$nm"/prismjs/LICENSE "$out"/prism/LICENSE
{
  for pkg in codemirror @codemirror/* @lezer/* @marijn/* crelt style-mod w3c-keyname; do
    for dir in "$nm"/$pkg; do
      [ -f "$dir/LICENSE" ] || continue
      echo "== $(node -p "require('$root/$dir/package.json').name + ' ' + require('$root/$dir/package.json').version")"
      cat "$dir/LICENSE"
      echo
    done
  done
} > "$out"/codemirror/LICENSES.txt

# axe-core is for the browser tests only: the app never serves it.
cp "$nm"/axe-core/axe.min.js tests/support/vendor/axe.min.js

# What was built, with the exact versions, for a reviewer and for the docs.
node -e '
const lock = require("./package-lock.json").packages;
const names = ["htmx.org", "katex", "uplot", "prismjs", "codemirror", "@codemirror/lang-python", "esbuild", "axe-core"];
for (const n of names) console.log(n + " " + lock["node_modules/" + n].version);
' > "$out"/VERSIONS.txt
echo "build-assets: built $(find "$out" -type f | wc -l) files into $out ($(du -sh "$out" | cut -f1))"
