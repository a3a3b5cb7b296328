# expect: ok
# Pure Python lists of lists: (A + A^T) x + z entry by entry.
def quadratic_form_grad(x, A, z):
    n = len(x)
    a = A.tolist()
    xs = [row[0] for row in x.tolist()]
    return [[sum((a[i][j] + a[j][i]) * xs[j] for j in range(n)) + float(z[i, 0])] for i in range(n)]
