"""The interface a student must write: exact signatures and visible-trial shapes, and a starter
file for every shipped assignment that compiles, defines each function and solves nothing."""

import ast

import pytest

from assignments import load_assignment
from graders.interface import describe, starter_source


def test_shapes_come_from_the_visible_trial():
    softmax = describe("softmax", 20260901)
    assert softmax.signature == "def softmax_jacobian(x)"
    assert softmax.inputs == (("x", "(5, 1)"),) and softmax.outputs == (("x", "(5, 5)"),)
    net = describe("one_layer_net", 20260901)
    assert dict(net.outputs)["W"] == dict(net.inputs)["W"] == "(4, 5)"
    assert net.returns.startswith("a dict with the keys")


@pytest.mark.parametrize("name", ["hw1", "hw2"])
def test_every_shipped_assignment_has_a_starter_file_without_solutions(name):
    assignment = load_assignment(name)
    source = starter_source(assignment)
    tree = ast.parse(source)
    defined = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assert defined == {config.problem.function for config in assignment.problems}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
            assert len(body) == 1 and isinstance(body[0], ast.Raise), node.name  # a docstring and a raise
