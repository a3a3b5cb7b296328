# expect: forbidden_import
import numpy as np
import torch


def l2_loss_batch_grad(w, X, y):
    wt = torch.tensor(w, requires_grad=True)
    loss = ((torch.tensor(X) @ wt - torch.tensor(y)) ** 2).sum() / (2 * X.shape[0])
    loss.backward()
    return np.asarray(wt.grad.numpy())
