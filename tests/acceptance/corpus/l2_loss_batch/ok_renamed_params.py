# expect: ok
# Parameter names differ from the statement (the grader calls positionally).
import numpy as np


def l2_loss_batch_grad(weights, data, targets):
    return data.T @ (data @ weights - targets) / data.shape[0]
