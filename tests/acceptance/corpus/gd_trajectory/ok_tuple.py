# expect: ok
# A tuple of floats that numpy converts exactly to shape (steps + 1,).
def gd_iterates(alpha, steps):
    ws = [0.0]
    for _ in range(steps):
        ws.append(ws[-1] - alpha * (ws[-1] - 100.0))
    return tuple(ws)
