"""Otter (OK format) tests equivalent to nablagrade's sigmoid checks: type, shape, finite, values on a
visible trial and two hidden ones of other sizes, and the stability trials."""

OK_FORMAT = True

test = {'name': 'sigmoid',
 'points': 10,
 'suites': [{'cases': [{'code': '>>> import numpy as np\n'
                                '>>> x = np.random.default_rng(1).uniform(-4, 4, size=(3, 4))\n'
                                '>>> s = 0.5 * (1 + np.tanh(0.5 * x))\n'
                                '>>> got = sigmoid_grad(x.copy())\n'
                                '>>> want = s * (1 - s)\n'
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
                                '>>> x = np.random.default_rng(2).uniform(-4, 4, size=(5, 2))\n'
                                '>>> s = 0.5 * (1 + np.tanh(0.5 * x))\n'
                                '>>> got = sigmoid_grad(x.copy())\n'
                                '>>> want = s * (1 - s)\n'
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
                                '>>> x = np.random.default_rng(3).uniform(-4, 4, size=(6, 7))\n'
                                '>>> s = 0.5 * (1 + np.tanh(0.5 * x))\n'
                                '>>> got = sigmoid_grad(x.copy())\n'
                                '>>> want = s * (1 - s)\n'
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
                                '>>> x = np.random.default_rng(4).uniform(-4, 4, size=(3, 4))\n'
                                '>>> x[0] = 1000.0\n'
                                '>>> x[1] = -1000.0\n'
                                '>>> s = 0.5 * (1 + np.tanh(0.5 * x))\n'
                                '>>> got = sigmoid_grad(x.copy())\n'
                                '>>> want = s * (1 - s)\n'
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
