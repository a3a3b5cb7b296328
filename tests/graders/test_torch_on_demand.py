"""With the references stored, grading does not import torch in the trusted process:
not for a numpy problem, and not even for legendre_p3, whose torch lives in its sandbox."""

import json
import subprocess
import sys
import textwrap

import pytest

from graders.problem import get_problem
from graders.selftest import solution_source

PROBE = textwrap.dedent("""
    import json, sys
    from graders.cli import main
    code = main(sys.argv[1:])
    print(json.dumps({"code": code, "torch": sorted(m for m in sys.modules if m == "torch" or m.startswith("torch."))}),
          file=sys.stderr)
""")


def _check(tmp_path, *args):
    env = {"PATH": "/usr/bin:/bin", "NABLAGRADE_CACHE_DIR": str(tmp_path / "references"), "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", PROBE, "check", *args, "--json"], capture_output=True, text=True,
                          env=env, timeout=300)
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    return probe["code"], probe["torch"], json.loads(done.stdout)


@pytest.mark.parametrize("problem_id", ["sigmoid", "legendre_p3"])
def test_a_check_with_stored_references_does_not_import_torch(tmp_path, problem_id):
    path = tmp_path / "answer.py"
    path.write_text(solution_source(get_problem(problem_id)))
    code, modules, _ = _check(tmp_path, str(path), "--problem", problem_id)
    assert code == 0
    assert "torch" in modules  # the first run computed the references: that one needs torch
    code, modules, document = _check(tmp_path, str(path), "--problem", problem_id)
    assert code == 0 and document["score"] == document["max_score"]
    assert modules == []
