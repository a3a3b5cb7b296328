"""Otter (OK format) tests equivalent to nablagrade's l2_loss checks: type, shape, finite, values on a
visible trial and two hidden ones of other sizes, and the stability trials."""

OK_FORMAT = True

test = {'name': 'l2_loss',
 'points': 10,
 'suites': [{'cases': [{'code': '>>> import numpy as np\n'
                                '>>> rng = np.random.default_rng(1)\n'
                                '>>> w = rng.normal(size=(4, 1))\n'
                                '>>> x = rng.normal(size=(4, 1))\n'
                                '>>> y = float(rng.normal() * 2)\n'
                                '>>> got = l2_loss_grad(w.copy(), x.copy(), y)\n'
                                '>>> want = ((w.T @ x).item() - y) * x\n'
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
                                '>>> w = rng.normal(size=(6, 1))\n'
                                '>>> x = rng.normal(size=(6, 1))\n'
                                '>>> y = float(rng.normal() * 2)\n'
                                '>>> got = l2_loss_grad(w.copy(), x.copy(), y)\n'
                                '>>> want = ((w.T @ x).item() - y) * x\n'
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
                                '>>> w = rng.normal(size=(3, 1))\n'
                                '>>> x = rng.normal(size=(3, 1))\n'
                                '>>> y = float(rng.normal() * 2)\n'
                                '>>> got = l2_loss_grad(w.copy(), x.copy(), y)\n'
                                '>>> want = ((w.T @ x).item() - y) * x\n'
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
