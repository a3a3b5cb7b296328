"""Otter (OK format) tests equivalent to nablagrade's one_layer_net checks: type, shape, finite, values on a
visible trial and two hidden ones of other sizes, and the stability trials."""

OK_FORMAT = True

test = {'name': 'one_layer_net',
 'points': 40,
 'suites': [{'cases': [{'code': '>>> import numpy as np\n'
                                '>>> rng = np.random.default_rng(1)\n'
                                '>>> x = rng.normal(size=(5, 1))\n'
                                '>>> y = np.eye(3)[:, [int(rng.integers(3))]]\n'
                                '>>> W = rng.normal(size=(4, 5)) * 0.7\n'
                                '>>> b1 = rng.normal(size=(4, 1)) * 0.5\n'
                                '>>> U = rng.normal(size=(3, 4))\n'
                                '>>> b2 = rng.normal(size=(3, 1)) * 0.5 + 0.0\n'
                                '>>> z = W @ x + b1\n'
                                '>>> h = np.maximum(z, 0)\n'
                                '>>> t = U @ h + b2\n'
                                '>>> e = np.exp(t - t.max())\n'
                                '>>> dt = e / e.sum() - y\n'
                                '>>> dz = (U.T @ dt) * (z > 0)\n'
                                ">>> want = {'W': dz @ x.T, 'b1': dz, 'U': dt @ h.T, 'b2': dt, 'x': W.T @ "
                                'dz}\n'
                                '>>> got = one_layer_net_grads(x.copy(), y.copy(), W.copy(), b1.copy(), '
                                'U.copy(), b2.copy())\n'
                                '>>> isinstance(got, dict) and sorted(got) == sorted(want)\n'
                                'True\n'
                                '>>> all(np.shape(got[k]) == want[k].shape for k in want)\n'
                                'True\n'
                                '>>> all(bool(np.all(np.isfinite(got[k]))) for k in want)\n'
                                'True\n'
                                '>>> all(np.linalg.norm(got[k] - want[k]) <= 1e-4 * (np.linalg.norm(got[k]) '
                                '+ np.linalg.norm(want[k])) for k in want)\n'
                                'True',
                        'hidden': False,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> rng = np.random.default_rng(2)\n'
                                '>>> x = rng.normal(size=(6, 1))\n'
                                '>>> y = np.eye(2)[:, [int(rng.integers(2))]]\n'
                                '>>> W = rng.normal(size=(7, 6)) * 0.7\n'
                                '>>> b1 = rng.normal(size=(7, 1)) * 0.5\n'
                                '>>> U = rng.normal(size=(2, 7))\n'
                                '>>> b2 = rng.normal(size=(2, 1)) * 0.5 + 0.0\n'
                                '>>> z = W @ x + b1\n'
                                '>>> h = np.maximum(z, 0)\n'
                                '>>> t = U @ h + b2\n'
                                '>>> e = np.exp(t - t.max())\n'
                                '>>> dt = e / e.sum() - y\n'
                                '>>> dz = (U.T @ dt) * (z > 0)\n'
                                ">>> want = {'W': dz @ x.T, 'b1': dz, 'U': dt @ h.T, 'b2': dt, 'x': W.T @ "
                                'dz}\n'
                                '>>> got = one_layer_net_grads(x.copy(), y.copy(), W.copy(), b1.copy(), '
                                'U.copy(), b2.copy())\n'
                                '>>> isinstance(got, dict) and sorted(got) == sorted(want)\n'
                                'True\n'
                                '>>> all(np.shape(got[k]) == want[k].shape for k in want)\n'
                                'True\n'
                                '>>> all(bool(np.all(np.isfinite(got[k]))) for k in want)\n'
                                'True\n'
                                '>>> all(np.linalg.norm(got[k] - want[k]) <= 1e-4 * (np.linalg.norm(got[k]) '
                                '+ np.linalg.norm(want[k])) for k in want)\n'
                                'True',
                        'hidden': True,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> rng = np.random.default_rng(3)\n'
                                '>>> x = rng.normal(size=(8, 1))\n'
                                '>>> y = np.eye(4)[:, [int(rng.integers(4))]]\n'
                                '>>> W = rng.normal(size=(3, 8)) * 0.7\n'
                                '>>> b1 = rng.normal(size=(3, 1)) * 0.5\n'
                                '>>> U = rng.normal(size=(4, 3))\n'
                                '>>> b2 = rng.normal(size=(4, 1)) * 0.5 + 0.0\n'
                                '>>> z = W @ x + b1\n'
                                '>>> h = np.maximum(z, 0)\n'
                                '>>> t = U @ h + b2\n'
                                '>>> e = np.exp(t - t.max())\n'
                                '>>> dt = e / e.sum() - y\n'
                                '>>> dz = (U.T @ dt) * (z > 0)\n'
                                ">>> want = {'W': dz @ x.T, 'b1': dz, 'U': dt @ h.T, 'b2': dt, 'x': W.T @ "
                                'dz}\n'
                                '>>> got = one_layer_net_grads(x.copy(), y.copy(), W.copy(), b1.copy(), '
                                'U.copy(), b2.copy())\n'
                                '>>> isinstance(got, dict) and sorted(got) == sorted(want)\n'
                                'True\n'
                                '>>> all(np.shape(got[k]) == want[k].shape for k in want)\n'
                                'True\n'
                                '>>> all(bool(np.all(np.isfinite(got[k]))) for k in want)\n'
                                'True\n'
                                '>>> all(np.linalg.norm(got[k] - want[k]) <= 1e-4 * (np.linalg.norm(got[k]) '
                                '+ np.linalg.norm(want[k])) for k in want)\n'
                                'True',
                        'hidden': True,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> rng = np.random.default_rng(4)\n'
                                '>>> x = rng.normal(size=(5, 1))\n'
                                '>>> y = np.eye(3)[:, [int(rng.integers(3))]]\n'
                                '>>> W = rng.normal(size=(4, 5)) * 0.7\n'
                                '>>> b1 = rng.normal(size=(4, 1)) * 0.5\n'
                                '>>> U = rng.normal(size=(3, 4))\n'
                                '>>> b2 = rng.normal(size=(3, 1)) * 0.5 + 1000.0\n'
                                '>>> z = W @ x + b1\n'
                                '>>> h = np.maximum(z, 0)\n'
                                '>>> t = U @ h + b2\n'
                                '>>> e = np.exp(t - t.max())\n'
                                '>>> dt = e / e.sum() - y\n'
                                '>>> dz = (U.T @ dt) * (z > 0)\n'
                                ">>> want = {'W': dz @ x.T, 'b1': dz, 'U': dt @ h.T, 'b2': dt, 'x': W.T @ "
                                'dz}\n'
                                '>>> got = one_layer_net_grads(x.copy(), y.copy(), W.copy(), b1.copy(), '
                                'U.copy(), b2.copy())\n'
                                '>>> isinstance(got, dict) and sorted(got) == sorted(want)\n'
                                'True\n'
                                '>>> all(np.shape(got[k]) == want[k].shape for k in want)\n'
                                'True\n'
                                '>>> all(bool(np.all(np.isfinite(got[k]))) for k in want)\n'
                                'True\n'
                                '>>> all(np.linalg.norm(got[k] - want[k]) <= 1e-4 * (np.linalg.norm(got[k]) '
                                '+ np.linalg.norm(want[k])) for k in want)\n'
                                'True',
                        'hidden': False,
                        'locked': False},
                       {'code': '>>> import numpy as np\n'
                                '>>> rng = np.random.default_rng(5)\n'
                                '>>> x = rng.normal(size=(5, 1))\n'
                                '>>> y = np.eye(3)[:, [int(rng.integers(3))]]\n'
                                '>>> W = rng.normal(size=(4, 5)) * 0.7\n'
                                '>>> b1 = rng.normal(size=(4, 1)) * 0.5\n'
                                '>>> U = rng.normal(size=(3, 4))\n'
                                '>>> b2 = rng.normal(size=(3, 1)) * 0.5 + -1000.0\n'
                                '>>> z = W @ x + b1\n'
                                '>>> h = np.maximum(z, 0)\n'
                                '>>> t = U @ h + b2\n'
                                '>>> e = np.exp(t - t.max())\n'
                                '>>> dt = e / e.sum() - y\n'
                                '>>> dz = (U.T @ dt) * (z > 0)\n'
                                ">>> want = {'W': dz @ x.T, 'b1': dz, 'U': dt @ h.T, 'b2': dt, 'x': W.T @ "
                                'dz}\n'
                                '>>> got = one_layer_net_grads(x.copy(), y.copy(), W.copy(), b1.copy(), '
                                'U.copy(), b2.copy())\n'
                                '>>> isinstance(got, dict) and sorted(got) == sorted(want)\n'
                                'True\n'
                                '>>> all(np.shape(got[k]) == want[k].shape for k in want)\n'
                                'True\n'
                                '>>> all(bool(np.all(np.isfinite(got[k]))) for k in want)\n'
                                'True\n'
                                '>>> all(np.linalg.norm(got[k] - want[k]) <= 1e-4 * (np.linalg.norm(got[k]) '
                                '+ np.linalg.norm(want[k])) for k in want)\n'
                                'True',
                        'hidden': False,
                        'locked': False}],
             'scored': True,
             'setup': '',
             'teardown': '',
             'type': 'doctest'}]}
