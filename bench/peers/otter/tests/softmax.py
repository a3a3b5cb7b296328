"""Otter (OK format) tests equivalent to nablagrade's softmax checks: type, shape, finite, values on a
visible trial and two hidden ones of other sizes, and the stability trials."""

OK_FORMAT = True

test = {'name': 'softmax',
 'points': 15,
 'suites': [{'cases': [{'code': '>>> import numpy as np\n'
                                '>>> x = np.random.default_rng(1).normal(size=(4, 1)) + 0.0\n'
                                '>>> e = np.exp(x - x.max())\n'
                                '>>> s = e / e.sum()\n'
                                '>>> got = softmax_jacobian(x.copy())\n'
                                '>>> want = np.diagflat(s) - s @ s.T\n'
                                '>>> isinstance(got, np.ndarray)\n'
                                'True\n'
                                '>>> got.shape == (4, 4)\n'
                                'True\n'
                                '>>> bool(np.all(np.isfinite(got)))\n'
                                'True\n'
                                '>>> bool(np.linalg.norm(got - want) <= 1e-4 * (np.linalg.norm(got) + '
                                'np.linalg.norm(want)))\n'
                                'True',
                        'hidden': False,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> x = np.random.default_rng(2).normal(size=(6, 1)) + 0.0\n'
                                '>>> e = np.exp(x - x.max())\n'
                                '>>> s = e / e.sum()\n'
                                '>>> got = softmax_jacobian(x.copy())\n'
                                '>>> want = np.diagflat(s) - s @ s.T\n'
                                '>>> isinstance(got, np.ndarray)\n'
                                'True\n'
                                '>>> got.shape == (6, 6)\n'
                                'True\n'
                                '>>> bool(np.all(np.isfinite(got)))\n'
                                'True\n'
                                '>>> bool(np.linalg.norm(got - want) <= 1e-4 * (np.linalg.norm(got) + '
                                'np.linalg.norm(want)))\n'
                                'True',
                        'hidden': True,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> x = np.random.default_rng(3).normal(size=(3, 1)) + 0.0\n'
                                '>>> e = np.exp(x - x.max())\n'
                                '>>> s = e / e.sum()\n'
                                '>>> got = softmax_jacobian(x.copy())\n'
                                '>>> want = np.diagflat(s) - s @ s.T\n'
                                '>>> isinstance(got, np.ndarray)\n'
                                'True\n'
                                '>>> got.shape == (3, 3)\n'
                                'True\n'
                                '>>> bool(np.all(np.isfinite(got)))\n'
                                'True\n'
                                '>>> bool(np.linalg.norm(got - want) <= 1e-4 * (np.linalg.norm(got) + '
                                'np.linalg.norm(want)))\n'
                                'True',
                        'hidden': True,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> x = np.random.default_rng(4).normal(size=(4, 1)) + 1000.0\n'
                                '>>> e = np.exp(x - x.max())\n'
                                '>>> s = e / e.sum()\n'
                                '>>> got = softmax_jacobian(x.copy())\n'
                                '>>> want = np.diagflat(s) - s @ s.T\n'
                                '>>> isinstance(got, np.ndarray)\n'
                                'True\n'
                                '>>> got.shape == (4, 4)\n'
                                'True\n'
                                '>>> bool(np.all(np.isfinite(got)))\n'
                                'True\n'
                                '>>> bool(np.linalg.norm(got - want) <= 1e-4 * (np.linalg.norm(got) + '
                                'np.linalg.norm(want)))\n'
                                'True',
                        'hidden': False,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> x = np.random.default_rng(5).normal(size=(4, 1)) + -1000.0\n'
                                '>>> e = np.exp(x - x.max())\n'
                                '>>> s = e / e.sum()\n'
                                '>>> got = softmax_jacobian(x.copy())\n'
                                '>>> want = np.diagflat(s) - s @ s.T\n'
                                '>>> isinstance(got, np.ndarray)\n'
                                'True\n'
                                '>>> got.shape == (4, 4)\n'
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
