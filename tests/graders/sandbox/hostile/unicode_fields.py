"""Hostile: an exception and printed output full of lone surrogates, NULs, terminal escape
sequences, right-to-left overrides and 4-byte characters: the document must stay strict,
bounded JSON."""


def sigmoid_grad(x):
    odd = "\ud800\udfff\x00\x1b[2J\x1b]0;pwned\x07\u202e\U0001f600\ufffe" * 2000
    print(odd)
    raise RuntimeError(odd)
