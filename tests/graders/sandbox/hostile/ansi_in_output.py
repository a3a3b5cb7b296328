"""Hostile: terminal escape sequences in what it prints and in its exception: clear the screen,
set the window title, write the clipboard (OSC 52), rewrite the report line to a pass."""
import numpy as np

ESC = "\x1b"


def sigmoid_grad(x):
    print(f"{ESC}[2J{ESC}[H{ESC}]0;all tests passed\x07{ESC}]52;c;cm0gLXJmIH4K\x07\rTotal: 10 / 10{ESC}[8m")
    raise ValueError(f"\r{ESC}[2K  pass  values{ESC}[1A\x9b2J\ud800")
