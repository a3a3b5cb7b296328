"""The hostile-submission suite: every case runs through the real sandbox and
`grade_source`, asserts how it was contained, that no planted secret came back
in the result, and that a normal job right after it is unaffected."""

import json
import os
import re
from pathlib import Path

import pytest

from graders.engine import detect_problems
from graders.problem import all_problems
from graders.report import render
from tests.graders.sandbox.conftest import CHECKOUT, hostile_source
from tests.graders.sandbox.test_budget import BUDGET_CASES

HOST_TMP_MARKER = Path("/tmp/nablagrade-host-tmp-marker")
PICKLE_MARKER = Path("/tmp/nablagrade-pickle-marker")

CONTAINED = {"timeout", "memory_limit", "output_limit"}


def text_of(document: dict) -> str:
    return json.dumps(document)


def failing_messages(document: dict) -> str:
    return " ".join(c["message"] for p in document["problems"] for c in p["checks"] if not c["passed"])


def no_torch_visible(document: dict, planted: dict) -> None:
    text = failing_messages(document)
    assert "GOT IT" not in text
    assert "No module named 'torch'" in text  # the files are not even in the sandbox


def only_safe_environment(document: dict, planted: dict) -> None:
    text = failing_messages(document)
    assert "OPENBLAS_NUM_THREADS" in text  # the channel works: the environment did come back
    assert "NABLA_SECRET" not in text


def environ_files_refused(document: dict, planted: dict) -> None:
    text = failing_messages(document)
    assert "/proc/1/environ:" in text and "b'" not in text.split("/proc/self/environ")[0]


def planted_files_absent(document: dict, planted: dict) -> None:
    text = failing_messages(document)
    for path in planted["paths"]:
        assert f"{path}: FileNotFoundError" in text
    assert "READ" not in text


def filesystem_is_minimal(document: dict, planted: dict) -> None:
    text = failing_messages(document)
    root = text.split("/: [", 1)[1].split("]", 1)[0]
    for hidden in ("'work'", "'home'", "'var'", "'run'", "'mnt'", "'srv'"):
        assert hidden not in root
    site = text.split("/sandbox/site: [", 1)[1].split("]", 1)[0]
    assert "torch" not in site and "sympy" not in site and "numpy" in site
    assert "/tmp: []" in text  # a fresh, empty scratch space


def only_our_processes_and_fds(document: dict, planted: dict) -> None:
    text = failing_messages(document)
    pids = json.loads(text.rsplit("pids=", 1)[1].split("]", 1)[0] + "]")
    assert len(pids) <= 3  # the warm parent, this child and the next job's child: nothing of the host
    fds = text.rsplit("fds=", 1)[1].split("}", 1)[0]
    assert fds.count("/dev/null") == 3 and fds.count("pipe:") == 1 and "socket" not in fds
    assert "uid=0 " not in text


def no_foreign_fds(document: dict, planted: dict) -> None:
    text = failing_messages(document)
    assert "/proc/1/fd: PermissionError" in text  # it did look at the warm parent
    assert "OPENED" not in text and "LISTED" not in text


def neighbours_untouched(document: dict, planted: dict) -> None:
    text = failing_messages(document)
    assert "prlimit(1): PermissionError" in text  # it did try the warm parent
    assert "DONE" not in text


def raised(document: dict) -> str:
    """What the submission put in its RuntimeError (not the source line the traceback quotes)."""
    return " ".join(re.findall(r"^RuntimeError: (.*)$", failing_messages(document), re.MULTILINE))


def signals_refused(document: dict, planted: dict) -> None:
    text = raised(document)
    assert "PermissionError" in text  # it did try, on another process of the sandbox
    assert "DONE" not in text and "no other process" not in text


def proc_files_refused(document: dict, planted: dict) -> None:
    text = raised(document)
    assert int(text.split("tried=", 1)[1].split(" ", 1)[0]) > 50  # it found the neighbours' /proc files
    assert "written=[]" in text and "shared_writable=[]" in text


def scratch_was_marked(document: dict, planted: dict) -> None:
    assert document["score"] == document["max_score"]
    for attempt in ("xattr /scratch/job: done", "acl /scratch: done", "chmod scratch: done", "lock holder: done"):
        assert attempt in document["output"]  # the marks were made; the next job must not see them


def memory_scan_ran_and_found_nothing(document: dict, planted: dict) -> None:
    text = failing_messages(document)
    scanned = int(text.rsplit("scanned=", 1)[1].split(" ", 1)[0])
    assert scanned > 10 * 1024 * 1024  # it really read its memory


def nothing_written_to_checkout(document: dict, planted: dict) -> None:
    assert "WROTE" not in failing_messages(document)
    assert not (CHECKOUT / "graders" / "hacked.py").exists()


def host_tmp_untouched(document: dict, planted: dict) -> None:
    assert document["score"] == document["max_score"]  # it wrote to its own scratch space
    assert not HOST_TMP_MARKER.exists()


def pickle_never_ran(document: dict, planted: dict) -> None:
    assert "not numeric" in failing_messages(document)
    assert not PICKLE_MARKER.exists()


def error_text_capped(document: dict, planted: dict) -> None:
    for problem in document["problems"]:
        for check in problem["checks"]:
            assert len(check["message"]) <= 4200
    assert len(text_of(document)) < 64 * 1024


def output_capped(document: dict, planted: dict) -> None:
    assert len(document["output"]) <= 64 * 1024
    assert "16 MiB" in failing_messages(document)


def threads_refused(document: dict, planted: dict) -> None:
    assert "can't start new thread" in failing_messages(document)


def files_refused(document: dict, planted: dict) -> None:
    assert "Too many open files" in failing_messages(document)


def header_rejected(document: dict, planted: dict) -> None:
    assert "larger than allowed" in failing_messages(document)


def output_is_ignored(document: dict, planted: dict) -> None:
    assert not document["passed"] and document["score"] < document["max_score"]
    assert "ALL TESTS PASSED" in document["output"]  # shown as text, never parsed


def document_bounded(document: dict, planted: dict) -> None:
    text = json.dumps(document, allow_nan=False)  # strict JSON: what the service stores and sends
    # 64 KiB of printed text and 4 KiB per message, in characters; escaped as \uXXXX at worst.
    assert len(text) < 1024 * 1024, len(text)
    assert len(document["output"]) <= 64 * 1024
    for problem in document["problems"]:
        assert len(json.dumps(problem.get("notes", []))) <= 8 * 1024
        for check in problem["checks"]:
            assert len(check["message"]) <= 8 * 1024


def printed(words: str):
    """Full marks, and the output proves the attack ran (it armed its timers, took its locks...)."""

    def check(document: dict, planted: dict) -> None:
        assert document["score"] == document["max_score"], failing_messages(document)[:300]
        assert words in document["output"]

    return check


def files_bounded(document: dict, planted: dict) -> None:
    if os.geteuid() == 0:  # the scratch tmpfs is ours, with a bound on inodes: the job runs out of them
        assert "No space left on device" in failing_messages(document)
    else:  # bwrap's own tmpfs: the files are made, and the warm parent is recycled rather than clean up
        assert document["score"] == document["max_score"]


def terminal_report_is_inert(document: dict, planted: dict) -> None:
    report = render(document, "hostile.py")
    assert "\x1b" not in report and "\x07" not in report and "\r" not in report
    assert "\\x1b[2J" in report  # what it printed is still shown, as escapes


def no_shared_memory(document: dict, planted: dict) -> None:
    text = raised(document)
    assert int(text.split("maps=", 1)[1].split(" ", 1)[0]) > 20  # it did read its mappings
    assert "written=[]" in text and "protected=[]" in text  # nothing shared with the parent to write into


def controls_spelt_out(document: dict, planted: dict) -> None:
    """NULs and C1 controls (U+009B is a CSI to some terminals) reach the document as text,
    and the report a TA prints shows them as escapes."""
    assert "\x00" in document["output"]  # what it printed is kept, as it printed it
    report = render(document, "hostile.py")
    for control in ("\x00", "\x9b", "\x9d", "\x85", "\u202e", "\x07"):
        assert control not in report
    assert "\\x00" in report and "\\x9b" in report


def says(*words: str):
    def check(document: dict, planted: dict) -> None:
        text = failing_messages(document)
        for word in words:
            assert word in text

    return check


def passes_normally(document: dict, planted: dict) -> None:
    assert document["score"] == document["max_score"]


def crashed_with(signal_name: str):
    def check(document: dict, planted: dict) -> None:
        assert signal_name in failing_messages(document)

    return check


# (file, the diagnoses that count as contained, extra assertions)
CASES = [
    ("infinite_loop.py", {"timeout"}, None),
    ("sleep_ignoring_sigterm.py", {"timeout"}, None),
    ("keep_deadline_alive.py", {"timeout", "crashed"}, None),  # crashed: more messages than the job has calls
    ("loop_at_import.py", {"timeout"}, None),
    ("fork_bomb.py", {"forbidden_operation"}, None),
    ("subprocess_run.py", {"forbidden_operation"}, None),
    ("os_system.py", {"forbidden_operation"}, None),
    ("execv.py", {"forbidden_operation"}, None),
    ("many_threads.py", {"exception"}, threads_refused),
    ("thread_after_return.py", {None}, passes_normally),
    ("allocate_50gb.py", {"memory_limit"}, None),
    ("numpy_50gb.py", {"memory_limit"}, None),
    ("result_400mb.py", CONTAINED, None),
    ("print_1gb.py", {"output_limit"}, output_capped),
    ("huge_exception.py", {"exception"}, error_text_capped),
    ("object_dtype_result.py", {"wrong_type"}, None),
    ("pickle_frame.py", {"wrong_type"}, pickle_never_ran),
    ("lying_npy_header.py", {"wrong_type"}, header_rejected),
    ("garbage_on_result_pipe.py", {"crashed"}, None),
    ("read_environ.py", {"exception"}, only_safe_environment),
    ("read_proc_environ.py", {"exception"}, environ_files_refused),
    ("read_parent_mem.py", {"forbidden_operation"}, None),
    ("scan_own_memory.py", {"exception"}, memory_scan_ran_and_found_nothing),
    ("read_files.py", {"exception"}, planted_files_absent),
    ("list_filesystem.py", {"exception"}, filesystem_is_minimal),
    ("list_processes_and_fds.py", {"exception"}, only_our_processes_and_fds),
    ("steal_other_fds.py", {"exception"}, no_foreign_fds),
    ("tamper_with_neighbours.py", {"exception"}, neighbours_untouched),
    ("connect_redis.py", {"forbidden_operation"}, None),
    ("connect_postgres.py", {"forbidden_operation"}, None),
    ("ctypes_raw_socket.py", {"forbidden_operation"}, None),
    ("write_root.py", {"forbidden_operation"}, None),
    ("write_usr.py", {"forbidden_operation"}, None),
    ("write_checkout.py", {"exception"}, nothing_written_to_checkout),
    ("write_host_tmp.py", {None}, host_tmp_untouched),
    ("fill_disk.py", {"output_limit"}, None),
    ("open_10000_files.py", {"exception"}, files_refused),
    ("kill_parent.py", {"forbidden_operation"}, None),
    ("ctypes_segfault.py", {"crashed"}, crashed_with("SIGSEGV")),
    ("c_stack_overflow.py", {"crashed"}, crashed_with("SIGSEGV")),
    ("exit_before_return.py", {"crashed"}, crashed_with("exited before returning")),
    ("patch_numpy.py", {"sign_flipped"}, None),
    ("leave_files.py", {None}, passes_normally),
    ("sysv_shm.py", {"forbidden_operation"}, None),
    ("fake_output.py", {"wrong_value"}, output_is_ignored),
    ("import_torch_tricks.py", {"exception"}, no_torch_visible),
    ("syscalls_via_ctypes.py", {"forbidden_operation"}, None),
    ("keyctl.py", {"forbidden_operation"}, None),
    ("ptrace_parent.py", {"forbidden_operation"}, None),
    ("io_uring.py", {"forbidden_operation"}, None),
    ("syntax_error.py", {"syntax_error"}, None),
    # Signals to the warm parent and to the child waiting for the next job
    ("sigio_kill_spare.py", {"exception"}, signals_refused),
    ("sigio_stop_spare.py", {"exception"}, signals_refused),
    ("sigio_interrupt_parent.py", {"exception"}, signals_refused),
    ("ioctl_async_owner.py", {"exception"}, signals_refused),
    ("proc_write_neighbours.py", {"exception"}, proc_files_refused),
    # The scratch space itself (xattrs, ACLs, mode, times, the directory around it)
    ("scratch_metadata.py", {None}, scratch_was_marked),
    # Results the trusted side must survive: every field validated and capped, the document bounded
    ("zero_size_huge_shapes.py", {"wrong_shape", "wrong_type"}, document_bounded),
    ("forged_npy_headers.py", {"wrong_type", "crashed"}, document_bounded),
    ("forged_load_failed_megabytes.py", {"forbidden_import", "crashed"}, document_bounded),
    ("deeply_nested_frame.py", {"wrong_type", "crashed"}, document_bounded),
    ("result_document_bomb.py", CONTAINED | {None, "wrong_type", "crashed"}, document_bounded),
    ("unicode_fields.py", {"exception"}, document_bounded),
    ("sigio_setown_ex.py", {"exception"}, signals_refused),
    # State a process could leave for the next job: none of it survives (the probe checks)
    ("leave_state_behind.py", {None}, passes_normally),
    ("hang_after_results.py", {None, "timeout"}, document_bounded),
    ("fake_done_then_spin.py", {"wrong_shape"}, document_bounded),  # its forged scalars, then a busy CPU
    ("stop_itself.py", {"wrong_value", "timeout", "crashed"}, document_bounded),
    # Round 2: channels and signals between jobs, state left in the process, results that lie
    ("timers_for_next_job.py", {None}, printed("armed for")),
    ("signal_everyone.py", {"exception"}, signals_refused),
    ("pidfd_send_signal.py", {"forbidden_operation"}, None),
    ("abstract_unix_socket.py", {"forbidden_operation"}, None),
    ("memfd_channel.py", {"forbidden_operation"}, None),
    ("posix_mqueue.py", {"forbidden_operation"}, None),
    ("flock_shared_files.py", {None}, printed("locked")),
    ("refuse_to_exit.py", {None}, printed("filter loaded")),
    ("personality_prctl.py", {None}, printed("outcomes")),
    ("mount_and_namespaces.py", {"forbidden_operation"}, None),
    ("userfaultfd.py", {"forbidden_operation"}, None),
    ("deep_scratch_tree.py", {None}, passes_normally),
    ("many_inodes.py", {"output_limit", None}, files_bounded),
    ("close_result_pipe.py", {"crashed"}, crashed_with("exited before returning")),
    ("print_then_exit.py", {"crashed"}, crashed_with("exited before returning")),
    ("exception_str_raises.py", {"exception"}, error_text_capped),
    ("exception_str_loops.py", {"timeout"}, None),
    ("base_exceptions.py", {"exception"}, says("SystemExit")),
    ("infinite_iter_result.py", {"timeout", "memory_limit"}, None),
    ("lying_number_objects.py", {"exception"}, says("no number here")),
    ("array_interface_bogus.py", {"crashed"}, crashed_with("SIGSEGV")),
    ("mixed_containers.py", {"wrong_type"}, document_bounded),
    ("ragged_tuple.py", {"wrong_type"}, document_bounded),
    ("ansi_in_output.py", {"exception"}, terminal_report_is_inert),
    ("patch_process_exit.py", {None}, passes_normally),  # lingers after its results: the next job still runs
    ("torch_tamper_with_parent.py", {None}, printed("tamper: ['PermissionError']")),
    # Round 5: every fd written with forged frames, shared memory, device nodes and a
    # controlling pty, text no consumer should act on, a process without its main thread,
    # busy threads at exit, changes to itself a forked neighbour would inherit
    ("forge_on_every_fd.py", {"crashed"}, says("malformed result")),
    ("shared_mappings.py", {"exception"}, no_shared_memory),
    ("dev_nodes.py", {None}, printed("pty: done")),
    ("nul_everywhere.py", {"exception"}, controls_spelt_out),
    ("exit_main_thread.py", {"timeout"}, None),
    ("spin_threads_at_exit.py", {None}, printed("spinning")),
    ("rlimit_and_sched_self.py", {None}, printed("nproc: done")),
    # wrong_value: seen once on a loaded machine, its own gradcheck failing while its 16 threads spun
    ("torch_thread_storm.py", {"crashed", "exception", None, "wrong_value"}, document_bounded),
    # A job that stops itself is its own timeout, never "stopped from outside" (the grader's fault)
    ("stop_by_timer.py", {"exception"}, says("not stopped", "timer_create: errno 1")),
    ("lower_cpu_limit.py", {"timeout"}, says("CPU time")),
    # Round 6: a forged value that names one blob many times (each array is rebuilt once)
    ("blob_reused.py", {"wrong_type"}, says("same array twice")),
    # A result pipe closed by a job that goes on running: its own timeout, never the grader's fault
    ("close_pipe_then_spin.py", {"timeout"}, says("CPU time")),
    ("close_pipe_then_sleep.py", {"timeout"}, says("waited more than")),
    # Round 6, contained already: the kernel's own signals (a pty's suspend and quit keys, interval
    # timers), hooks that run as objects die or the harness runs (finalizers, tracers, patched
    # json/len/wire limits, forged CPU readings), results that contain themselves or lie about
    # their length, fds 0-2 and the result pipe juggled, NaN, long double and bool results,
    # memory filled to the limit, a recursion limit of 60
    ("pty_suspend.py", {"sign_flipped"}, None),
    ("pty_interrupt.py", {"crashed"}, crashed_with("SIGQUIT")),
    ("exit_hooks.py", {"output_limit"}, says("16 MiB")),
    ("trace_the_harness.py", {"crashed"}, says("malformed result")),
    ("patch_harness_modules.py", {"crashed"}, says("malformed result")),
    ("cyclic_results.py", {"wrong_type", "exception"}, document_bounded),
    ("fd_juggling.py", {"crashed"}, None),  # exited before returning, or its junk on the pipe came first
    ("forged_cpu_readings.py", {"timeout"}, None),
    ("odd_numeric_results.py", {"not_finite", "wrong_type", "wrong_value"}, document_bounded),
    ("memory_near_limit.py", {"timeout", "memory_limit", None}, None),  # None: it filled its memory in time
    # None: where no signal lands in time, the answer is right and passes
    ("itimer_signals.py", CONTAINED | {"crashed", "exception", None}, document_bounded),
    ("recursion_limit_harness.py", {"wrong_type", "exception", "crashed"}, document_bounded),
]


def test_every_hostile_file_has_a_case():
    files = {p.name for p in (Path(__file__).parent / "hostile").glob("*.py") if not p.name.startswith("_")}
    assert files == {name for name, _, _ in CASES} | set(BUDGET_CASES)
    assert len(CASES) >= 35


@pytest.mark.parametrize(("name", "expected", "extra"), CASES, ids=[c[0][:-3] for c in CASES])
def test_hostile_submission_is_contained(name, expected, extra, grade_in_sandbox, planted, assert_next_job_clean):
    HOST_TMP_MARKER.unlink(missing_ok=True)
    PICKLE_MARKER.unlink(missing_ok=True)
    source = hostile_source(name, planted)
    defined = [problem.id for problem in detect_problems(source, all_problems())]
    document = grade_in_sandbox(source, *defined[:1])  # sigmoid unless the file answers another problem
    problem = document["problems"][0]
    assert problem["diagnosis"] in expected, failing_messages(document)[:500]
    assert planted["token"] not in text_of(document)
    document_bounded(document, planted)  # every hostile file: a strict JSON document of bounded size
    # ... and a report a TA's terminal can print (strict UTF-8, nothing it would act on)
    assert "\x1b" not in render(document, name).encode("utf-8").decode()
    if extra is not None:
        extra(document, planted)
    assert_next_job_clean(torch=problem["id"] == "legendre_p3")
