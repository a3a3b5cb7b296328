"""Otter (OK format) tests equivalent to nablagrade's softplus checks: type, shape, finite, values on a
visible trial and two hidden ones of other sizes, and the stability trials."""

OK_FORMAT = True

test = {'name': 'softplus',
 'points': 10,
 'suites': [{'cases': [{'code': '>>> import numpy as np\n'
                                '>>> x = np.random.default_rng(1).uniform(-2.5, 2.5, size=(2, 5))\n'
                                '>>> beta = 1.5\n'
                                '>>> got = softplus_grad(x.copy(), beta)\n'
                                '>>> want = 0.5 * (1 + np.tanh(0.5 * beta * x))\n'
                                '>>> isinstance(got, np.ndarray)\n'
                                'True\n'
                                '>>> got.shape == x.shape\n'
                                'True\n'
                                '>>> bool(np.all(np.isfinite(got)))\n'
                                'True\n'
                                '>>> bool(np.linalg.norm(got - want) <= 1e-4 * (np.linalg.norm(got) + '
                                'np.linalg.norm(want)))\n'
                                'True',
                        'hidden': False,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> x = np.random.default_rng(2).uniform(-2.5, 2.5, size=(4, 3))\n'
                                '>>> beta = 2.5\n'
                                '>>> got = softplus_grad(x.copy(), beta)\n'
                                '>>> want = 0.5 * (1 + np.tanh(0.5 * beta * x))\n'
                                '>>> isinstance(got, np.ndarray)\n'
                                'True\n'
                                '>>> got.shape == x.shape\n'
                                'True\n'
                                '>>> bool(np.all(np.isfinite(got)))\n'
                                'True\n'
                                '>>> bool(np.linalg.norm(got - want) <= 1e-4 * (np.linalg.norm(got) + '
                                'np.linalg.norm(want)))\n'
                                'True',
                        'hidden': True,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> x = np.random.default_rng(3).uniform(-2.5, 2.5, size=(6, 2))\n'
                                '>>> beta = 3.0\n'
                                '>>> got = softplus_grad(x.copy(), beta)\n'
                                '>>> want = 0.5 * (1 + np.tanh(0.5 * beta * x))\n'
                                '>>> isinstance(got, np.ndarray)\n'
                                'True\n'
                                '>>> got.shape == x.shape\n'
                                'True\n'
                                '>>> bool(np.all(np.isfinite(got)))\n'
                                'True\n'
                                '>>> bool(np.linalg.norm(got - want) <= 1e-4 * (np.linalg.norm(got) + '
                                'np.linalg.norm(want)))\n'
                                'True',
                        'hidden': True,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> x = np.random.default_rng(4).uniform(-2.5, 2.5, size=(2, 5))\n'
                                '>>> x[0] = 1000.0\n'
                                '>>> x[1] = -1000.0\n'
                                '>>> beta = 1.5\n'
                                '>>> got = softplus_grad(x.copy(), beta)\n'
                                '>>> want = 0.5 * (1 + np.tanh(0.5 * beta * x))\n'
                                '>>> isinstance(got, np.ndarray)\n'
                                'True\n'
                                '>>> got.shape == x.shape\n'
                                'True\n'
                                '>>> bool(np.all(np.isfinite(got)))\n'
                                'True\n'
                                '>>> bool(np.linalg.norm(got - want) <= 1e-4 * (np.linalg.norm(got) + '
                                'np.linalg.norm(want)))\n'
                                'True',
                        'hidden': False,
                        'locked': False}],
             'scored': True,
             'setup': '',
             'teardown': '',
             'type': 'doctest'}]}
