# expect: wrong_type
# message: generator
def gd_iterates(alpha, steps):
    w = 0.0
    for _ in range(steps + 1):
        yield w  # a generator function: the caller gets a generator, not the iterates
        w -= alpha * (w - 100.0)
