"""The vendored front-end files: pinned, complete, and with no reference to another origin."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "app" / "static"
VENDOR = STATIC / "vendor"
TEMPLATES = ROOT / "app" / "templates"

# XML namespace names are identifiers, never fetched.
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1998/Math/MathML", "http://www.w3.org/1999/xlink",
              "http://www.w3.org/1999/xhtml", "http://www.w3.org/XML/1998/namespace"}
# An absolute or protocol-relative URL: scheme://host or //host.tld
URL = re.compile(r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*:)?//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}[^\s\"'`()<>]*")
BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
NOT_LOADED = {"LICENSE", "LICENSES.txt", "VERSIONS.txt"}  # text beside the files, never fetched by a page


def served_text_files() -> list[Path]:
    files = [p for p in STATIC.rglob("*") if p.is_file() and p.suffix in {".js", ".css", ".svg", ".html", ".json"}]
    files += [p for p in TEMPLATES.rglob("*.html")]
    return sorted(p for p in files if p.name not in NOT_LOADED)


def licence_comment_spans(text: str) -> list[tuple[int, int]]:
    """Block comments that are licence or attribution headers (/*! ... */ or naming a licence)."""
    return [m.span() for m in BLOCK_COMMENT.finditer(text)
            if m.group().startswith("/*!") or re.search(r"licen[cs]e|copyright|\(c\)", m.group(), re.I)]


def outside_urls(text: str, suffix: str) -> list[str]:
    """Absolute or protocol-relative URLs in a file, less XML namespaces and licence headers."""
    spans = licence_comment_spans(text) if suffix in {".js", ".css"} else []
    return [m.group() for m in URL.finditer(text)
            if m.group().rstrip("/") not in NAMESPACES and not any(start <= m.start() < end for start, end in spans)]


def test_the_scan_finds_what_it_is_meant_to() -> None:
    """The detector itself: every way of pointing at another origin is caught; the harmless forms are not."""
    bad = ['<script src="https://cdn.example.com/htmx.js"></script>', "<link href='//fonts.googleapis.com/css'>",
           "@import url(https://fonts.example.org/a.css);", 'fetch("http://tracker.example.net/p")',
           "src: url(//cdn.jsdelivr.net/x.woff2)", "/* a plain comment //cdn.example.com/a.js */",
           '<img src="HTTPS://EXAMPLE.COM/x.png">', '<a href="ftp://files.example.org/a">']
    good = ['<svg xmlns="http://www.w3.org/2000/svg"></svg>', "/*! uPlot https://github.com/leeoniya/uPlot (MIT) */",
            "// a comment: see docs/frontend.md", "url(fonts/KaTeX_Main-Regular.woff2)", "a//b", "x = 1 // 2.5"]
    assert [bool(outside_urls(text, ".js")) for text in bad] == [True] * len(bad)
    assert [bool(outside_urls(text, ".js")) for text in good] == [False] * len(good)


def test_no_template_stylesheet_or_script_refers_to_another_origin() -> None:
    files = served_text_files()
    assert any(p.name == "katex.min.js" for p in files) and any(p.name == "base.html" for p in files)
    problems = [f"{path.relative_to(ROOT)}: {url}" for path in files
                for url in outside_urls(path.read_text(encoding="utf-8"), path.suffix)]
    assert problems == []


def test_every_url_in_a_stylesheet_is_a_file_we_serve() -> None:
    """Fonts and images named by url(...) exist beside the stylesheet; no @import at all."""
    checked = 0
    for css in STATIC.rglob("*.css"):
        text = BLOCK_COMMENT.sub("", css.read_text(encoding="utf-8"))
        assert "@import" not in text, css
        for target in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", text):
            if target.startswith("data:"):
                continue
            assert not target.startswith(("/", "http:", "https:")), f"{css.name}: {target}"
            assert (css.parent / target.split("?")[0].split("#")[0]).is_file(), f"{css.name}: {target} is missing"
            checked += 1
    assert checked >= 20  # KaTeX's fonts at least


def test_katex_uses_only_the_woff2_fonts_we_ship() -> None:
    css = (VENDOR / "katex" / "katex.min.css").read_text()
    named = set(re.findall(r"url\(fonts/([^)]+)\)", css))
    shipped = {p.name for p in (VENDOR / "katex" / "fonts").iterdir()}
    assert named and all(name.endswith(".woff2") for name in named)
    assert named == shipped


def test_versions_are_pinned_exactly_and_built_from_the_lockfile() -> None:
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    wanted = {**package["dependencies"], **package["devDependencies"]}
    for name, version in wanted.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned exactly: {version}"
        assert lock[f"node_modules/{name}"]["version"] == version
    # 6.65.7 on npm is a CodeMirror 5 build; htmx 4 changed attribute inheritance and the SSE extension.
    assert wanted["codemirror"] == "6.0.2"
    assert wanted["htmx.org"].startswith("2.")
    built = dict(line.split(" ", 1) for line in (VENDOR / "VERSIONS.txt").read_text().splitlines())
    for name, version in built.items():
        assert wanted[name] == version, f"app/static/vendor was built from {name} {version}; rerun scripts/build-assets.sh"


@pytest.mark.parametrize("relative", [
    "htmx/htmx.min.js", "katex/katex.min.js", "katex/katex.min.css", "katex/auto-render.min.js",
    "uplot/uPlot.iife.min.js", "uplot/uPlot.min.css", "prism/prism.min.js", "prism/prism.min.css",
    "codemirror/editor.min.js",
])
def test_vendored_file_is_there_with_its_licence(relative: str) -> None:
    path = VENDOR / relative
    assert path.stat().st_size > 1000
    assert any((path.parent / name).is_file() for name in ("LICENSE", "LICENSES.txt"))


def test_the_editor_bundle_is_codemirror_6_with_python() -> None:
    bundle = (VENDOR / "codemirror" / "editor.min.js").read_text()
    assert "NablaEditor" in bundle and "cm-editor" in bundle
    assert "CodeMirror.fromTextArea" not in bundle  # the CodeMirror 5 API


def test_axe_is_for_tests_only() -> None:
    assert (ROOT / "tests" / "support" / "vendor" / "axe.min.js").stat().st_size > 100_000
    assert not [p for p in STATIC.rglob("*") if "axe" in p.name.lower()]
    assert not [p for p in TEMPLATES.rglob("*.html") if "axe" in p.read_text().lower()]


def test_no_inline_script_or_style_in_templates() -> None:
    """The CSP refuses them, so they would silently do nothing; JSON data blocks are not scripts."""
    for template in TEMPLATES.rglob("*.html"):
        text = re.sub(r"\{#.*?#\}", "", template.read_text(), flags=re.S)  # Jinja comments may name them
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S):
            attributes, body = match.groups()
            if 'type="application/json"' in attributes:
                continue
            assert "src=" in attributes and not body.strip(), f"{template.name}: inline <script>"
        assert not re.search(r"<style\b", text), f"{template.name}: <style> element"
        assert not re.search(r"\sstyle=", text), f"{template.name}: style attribute"
        assert not re.search(r"\son[a-z]+=", text), f"{template.name}: inline event handler"
