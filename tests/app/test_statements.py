"""Problem statements: Markdown to safe HTML with the LaTeX left whole for KaTeX."""

from app.statements import render_statement
from graders.problem import all_problems


def test_math_survives_markdown():
    html = render_statement(r"Let $s_j = \dfrac{e^{x_j}}{\sum_k e^{x_k}}$ and $a_i * b_i$ with" "\n\n"
                            r"$$\begin{pmatrix} a \\ b \end{pmatrix}$$")
    assert r"\(s_j = \dfrac{e^{x_j}}{\sum_k e^{x_k}}\)" in html and r"\(a_i * b_i\)" in html
    assert r">\[\begin{pmatrix} a \\ b \end{pmatrix}\]</span>" in html and "<em>" not in html


def test_markup_and_script_are_escaped_not_passed_through():
    html = render_statement('<script>alert(1)</script> <img src=x onerror="alert(1)"> '
                            "[click](javascript:alert(1)) and $x < y$ and `code`")
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert r"\(x &lt; y\)" in html and "<code>code</code>" in html


def test_a_dollar_sign_escaped_is_not_math():
    assert r"\(" not in render_statement(r"It costs \$5 and \$6.")


def test_every_bank_statement_renders():
    for problem in all_problems():
        html = render_statement(problem.statement)
        assert html.startswith("<") and "NABLAMATH" not in html, problem.id
