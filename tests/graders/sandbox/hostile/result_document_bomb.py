"""Hostile: a dict answer with 1 500 extra keys of 4 KiB names (the grader notes ignored keys:
six megabytes of them fit under the result cap), with unicode oddities in every key."""


def linear_l2_grads(W, b, x, y):
    g = 2.0 * (W @ x + b - y)
    answer = {"W": g @ x.T, "b": g, "x": W.T @ g}
    for i in range(1_500):
        answer[f"\u202e\ud800\x00{i:06d}" + "k" * 4000] = 0.0
    return answer
