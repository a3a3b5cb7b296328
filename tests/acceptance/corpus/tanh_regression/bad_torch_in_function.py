# expect: forbidden_import
def tanh_regression_grad(w, b, x, y):
    import torch

    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    loss = (y - torch.tanh(wt * x + bt)) ** 2
    loss.backward()
    return wt.grad.item(), bt.grad.item()
