"""Otter (OK format) tests equivalent to nablagrade's l2_loss_batch checks: type, shape, finite, values on a
visible trial and two hidden ones of other sizes, and the stability trials."""

OK_FORMAT = True

test = {'name': 'l2_loss_batch',
 'points': 15,
 'suites': [{'cases': [{'code': '>>> import numpy as np\n'
                                '>>> rng = np.random.default_rng(1)\n'
                                '>>> w = rng.normal(size=(4, 1))\n'
                                '>>> X = rng.normal(size=(6, 4))\n'
                                '>>> y = rng.normal(size=(6, 1)) * 2\n'
                                '>>> got = l2_loss_batch_grad(w.copy(), X.copy(), y.copy())\n'
                                '>>> want = X.T @ (X @ w - y) / 6\n'
                                '>>> isinstance(got, np.ndarray)\n'
                                'True\n'
                                '>>> got.shape == w.shape\n'
                                'True\n'
                                '>>> bool(np.all(np.isfinite(got)))\n'
                                'True\n'
                                '>>> bool(np.linalg.norm(got - want) <= 1e-4 * (np.linalg.norm(got) + '
                                'np.linalg.norm(want)))\n'
                                'True',
                        'hidden': False,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> rng = np.random.default_rng(2)\n'
                                '>>> w = rng.normal(size=(5, 1))\n'
                                '>>> X = rng.normal(size=(8, 5))\n'
                                '>>> y = rng.normal(size=(8, 1)) * 2\n'
                                '>>> got = l2_loss_batch_grad(w.copy(), X.copy(), y.copy())\n'
                                '>>> want = X.T @ (X @ w - y) / 8\n'
                                '>>> isinstance(got, np.ndarray)\n'
                                'True\n'
                                '>>> got.shape == w.shape\n'
                                'True\n'
                                '>>> bool(np.all(np.isfinite(got)))\n'
                                'True\n'
                                '>>> bool(np.linalg.norm(got - want) <= 1e-4 * (np.linalg.norm(got) + '
                                'np.linalg.norm(want)))\n'
                                'True',
                        'hidden': True,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> rng = np.random.default_rng(3)\n'
                                '>>> w = rng.normal(size=(7, 1))\n'
                                '>>> X = rng.normal(size=(9, 7))\n'
                                '>>> y = rng.normal(size=(9, 1)) * 2\n'
                                '>>> got = l2_loss_batch_grad(w.copy(), X.copy(), y.copy())\n'
                                '>>> want = X.T @ (X @ w - y) / 9\n'
                                '>>> isinstance(got, np.ndarray)\n'
                                'True\n'
                                '>>> got.shape == w.shape\n'
                                'True\n'
                                '>>> bool(np.all(np.isfinite(got)))\n'
                                'True\n'
                                '>>> bool(np.linalg.norm(got - want) <= 1e-4 * (np.linalg.norm(got) + '
                                'np.linalg.norm(want)))\n'
                                'True',
                        'hidden': True,
                        'locked': False}],
             'scored': True,
             'setup': '',
             'teardown': '',
             'type': 'doctest'}]}
