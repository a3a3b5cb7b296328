# expect: forbidden_import
# message: while it is loaded on line 8
# A TYPE_CHECKING the file sets itself runs its imports: the run-time guard refuses them.
import numpy as np

TYPE_CHECKING = True
if TYPE_CHECKING:
    import scipy.special


def sigmoid_grad(x):
    s = scipy.special.expit(x)
    return s * (1.0 - s)
