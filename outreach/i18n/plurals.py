"""Plural rules for the PWA: each catalog's own gettext ``plural=`` expression, as JSON data.

gettext chooses a plural form with the C expression in the catalog header (``Plural-Forms``),
e.g. Czech ``((n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2)``; the server evaluates it through Python's
gettext. The PWA must choose the same form, so it gets the same expression, parsed here into a
small tree that ``static/pwa/src/i18n/plural.js`` walks: a catalog is data, never code (no
``eval``, no ``new Function``). CLDR categories through ``Intl.PluralRules`` were not enough:
Babel's gettext rules differ from CLDR for some locales (Hungarian has one form, CLDR two; Czech
has no form for CLDR's "many"), and the browser's CLDR version is not ours.

Tree: ``"n"`` | an integer | ``["!", a]`` | ``["?", condition, then, else]`` |
``[op, a, b]`` with op one of ``|| && == != < <= > >= + - * / %``, with C semantics
(comparisons give 1 or 0, ``/`` truncates).
"""

from __future__ import annotations

import re
from typing import TypeAlias

Rule: TypeAlias = "int | str | list[Rule]"

_SYMBOL = re.compile(r"\s*(?:(\d+)|(n)\b|(\|\||&&|==|!=|<=|>=|[<>!?:()%*/+-]))")
# Binary operators from the loosest to the tightest binding, as in C.
_LEVELS = (("||",), ("&&",), ("==", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "/", "%"))


def _symbols(expr: str) -> list[str]:
    symbols, pos, text = [], 0, expr.strip().rstrip(";")
    while pos < len(text):
        match = _SYMBOL.match(text, pos)
        if match is None:
            raise ValueError(f"not a plural expression: {expr!r} (at {text[pos:]!r})")
        symbols.append(next(group for group in match.groups() if group is not None))
        pos = match.end()
    return symbols


class _Parser:
    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.symbols = _symbols(expr)
        self.pos = 0

    def peek(self) -> str | None:
        return self.symbols[self.pos] if self.pos < len(self.symbols) else None

    def take(self, expected: str | None = None) -> str:
        symbol = self.peek()
        if symbol is None or (expected is not None and symbol != expected):
            raise ValueError(f"not a plural expression: {self.expr!r}")
        self.pos += 1
        return symbol

    def ternary(self) -> Rule:
        condition = self.binary(0)
        if self.peek() != "?":
            return condition
        self.take("?")
        then = self.ternary()
        self.take(":")
        return ["?", condition, then, self.ternary()]

    def binary(self, level: int) -> Rule:
        if level == len(_LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek() in _LEVELS[level]:
            op = self.take()
            left = [op, left, self.binary(level + 1)]
        return left

    def unary(self) -> Rule:
        symbol = self.take()
        if symbol == "!":
            return ["!", self.unary()]
        if symbol == "(":
            inner = self.ternary()
            self.take(")")
            return inner
        if symbol == "n":
            return "n"
        if symbol.isdigit():
            return int(symbol)
        raise ValueError(f"not a plural expression: {self.expr!r}")


def compile_rule(expr: str) -> Rule:
    """The tree of a gettext plural expression; ValueError for anything else."""
    parser = _Parser(expr)
    rule = parser.ternary()
    if parser.peek() is not None:
        raise ValueError(f"not a plural expression: {expr!r}")
    return rule


def _binary(op: str, a: int, b: int) -> int:
    if op in ("/", "%") and b == 0:
        raise ZeroDivisionError(f"plural rule divides by zero: {op}")
    if op == "/":  # C truncates towards zero; Python's // floors
        return abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
    if op == "%":  # C's remainder takes the sign of the dividend
        return abs(a) % abs(b) * (1 if a >= 0 else -1)
    results = {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
               "+": a + b, "-": a - b, "*": a * b}
    return int(results[op])


def evaluate(rule: Rule, n: int) -> int:
    """The plural form index for ``n``: the same walk as ``pluralIndex`` in plural.js."""
    if isinstance(rule, bool):
        raise ValueError("booleans are not plural rules")
    if isinstance(rule, int):
        return rule
    if rule == "n":
        return n
    if isinstance(rule, str):
        raise ValueError(f"unknown name in plural rule: {rule!r}")
    op, *args = rule
    if op == "?":
        return evaluate(args[1] if evaluate(args[0], n) else args[2], n)
    if op == "!":
        return int(not evaluate(args[0], n))
    if op == "&&":
        return int(bool(evaluate(args[0], n)) and bool(evaluate(args[1], n)))
    if op == "||":
        return int(bool(evaluate(args[0], n)) or bool(evaluate(args[1], n)))
    return _binary(str(op), evaluate(args[0], n), evaluate(args[1], n))
