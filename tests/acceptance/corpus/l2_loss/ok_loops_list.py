# expect: ok
# Plain Python: returns a list of one-element lists, which numpy turns into (n, 1).
def l2_loss_grad(w, x, y):
    n = len(w)
    prediction = 0.0
    for i in range(n):
        prediction += float(w[i, 0]) * float(x[i, 0])
    r = prediction - y
    return [[r * float(x[i, 0])] for i in range(n)]
