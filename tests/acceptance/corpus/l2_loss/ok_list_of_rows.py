# expect: ok
# A list of (1,)-shaped rows: numpy stacks it into exactly (n, 1).
def l2_loss_grad(w, x, y):
    r = sum(w[i] * x[i] for i in range(len(w))) - y
    return [r * x[i] for i in range(len(x))]
