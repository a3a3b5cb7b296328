# expect: ok
# Python floats in a list, built with a comprehension over the closed form.
def gd_iterates(alpha, steps):
    return [100.0 * (1.0 - (1.0 - alpha) ** t) for t in range(steps + 1)]
