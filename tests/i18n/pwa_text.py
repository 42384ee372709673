"""A check for the PWA: user-visible text written from a string literal instead of through `_()`.

Babel extracts `_("…")`, `ngettext("…", "…", n)` and `_n(…)` from static/pwa/src (babel.cfg); a
literal written straight into the page is never extracted and stays English for every household.
This finds the usual ways of doing that, reading Babel's own JavaScript tokens (so strings,
template literals and comments are understood the same way as by the extraction):

1. a text property set to a literal: `el.textContent = "Save"`, `document.title = …`, also
   `innerText`, `title`, `placeholder`, `alt` and the `aria*` text properties; every literal of
   the right-hand side counts, so `ok ? "Saved" : _("Failed")` is caught too;
2. the same properties as keys of an object literal, as given to the `h()` element builder
   (ui/dom.js) or `Object.assign`: `h("p", { title: "Save" })`, `{ "aria-label": "Save" }`;
3. a literal argument of `setAttribute("aria-label" | "title" | …, "…")`, `new Option("…")`,
   `createTextNode`, `append`, `prepend`, `replaceChildren`, `before`, `after`, `replaceWith`,
   `alert`, `confirm`, `prompt`, and the children of `h(tag, attributes, …children)`;
4. markup given to `innerHTML`, `outerHTML` or `insertAdjacentHTML`: text between tags and the
   visible attributes (`<h1>Save</h1>`, `placeholder="Name"`).

A literal counts only if it has a letter outside `${…}`: separators (" · ", " — "), digits and
punctuation are not language. Literals inside a call (`_("Save")`, `fmt("x")`) or compared
(`code === "rom"`) are not text. `append("key", value)` with a bare key is read as
URLSearchParams/FormData/Headers. ALLOWED holds the deliberate exceptions, each with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.jslexer import Token, tokenize, unquote_string

TEXT_PROPERTIES = frozenset({
    "textContent", "innerText", "title", "placeholder", "alt", "ariaLabel", "ariaDescription",
    "ariaPlaceholder", "ariaRoleDescription", "ariaValueText",
})
MARKUP_PROPERTIES = frozenset({"innerHTML", "outerHTML"})
TEXT_ATTRIBUTES = frozenset({
    "title", "placeholder", "alt", "aria-label", "aria-description", "aria-placeholder",
    "aria-roledescription", "aria-valuetext",
})
TEXT_CALLS = frozenset({
    "append", "prepend", "replaceChildren", "before", "after", "replaceWith", "createTextNode",
    "alert", "confirm", "prompt",
})
COMPARISONS = frozenset({"==", "!="})  # Babel's lexer reads `===` as `==` then `=`
# Literal text shown as is on purpose: text → why.
ALLOWED: dict[str, str] = {}

_KEY = re.compile(r"^[\w-]+$")
_MARKUP_ATTRIBUTE = re.compile(r"""\b([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r} bypasses _()"


def literal_text(token: Token) -> str:
    """The text a string or template literal shows, with every `${…}` left out."""
    if token.type == "string":
        return unquote_string(token.value)
    text, depth, out = token.value[1:-1], 0, []
    i = 0
    while i < len(text):
        if depth == 0 and text.startswith("${", i):
            depth, i = 1, i + 2
            continue
        if depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
        else:
            out.append(text[i])
        i += 1
    return "".join(out)


def is_text(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and text.strip() not in ALLOWED


def _is_literal(token: Token) -> bool:
    return token.type in ("string", "template_string")


def _last(name: str) -> str:
    return name.rsplit(".", 1)[-1]


class _Scan:
    def __init__(self, source: str, path: str) -> None:
        self.path = path
        self.tokens = [t for t in tokenize(source, jsx=False, dotted=True, template_string=True)
                       if t.type not in ("linecomment", "multilinecomment")]
        self.findings: list[Finding] = []

    def value(self, i: int) -> str | None:
        return self.tokens[i].value if 0 <= i < len(self.tokens) else None

    def flag(self, token: Token, text: str) -> None:
        if is_text(text):
            self.findings.append(Finding(self.path, token.lineno, text))

    def expression(self, start: int, check: str | None = "text") -> int:
        """Walk the expression at ``start`` to its end (`,` `;` or an unopened bracket) and
        return that index; with ``check``, flag its literals as "text" or "markup", except
        those inside calls or brackets and those compared."""
        depth, i = 0, start
        while i < len(self.tokens):
            token = self.tokens[i]
            if token.type == "operator" and token.value in ("(", "[", "{"):
                depth += 1
            elif token.type == "operator" and token.value in (")", "]", "}"):
                if depth == 0:
                    return i
                depth -= 1
            elif token.type == "operator" and token.value in (",", ";") and depth == 0:
                return i
            elif check and depth == 0 and _is_literal(token) and not self.compared(i):
                if check == "markup":
                    self.markup(token)
                else:
                    self.flag(token, literal_text(token))
            i += 1
        return i

    def compared(self, i: int) -> bool:
        before, after = self.value(i - 1), self.value(i + 1)
        return (before in COMPARISONS or after in COMPARISONS
                or (before == "=" and self.value(i - 2) in COMPARISONS))

    def markup(self, token: Token) -> None:
        html = literal_text(token)
        for text in re.split(r"<[^>]*>", html):
            self.flag(token, text.strip())
        for tag in re.findall(r"<[^>]*>", html):
            for name, double, single in _MARKUP_ATTRIBUTE.findall(tag):
                if name in TEXT_ATTRIBUTES:
                    self.flag(token, double or single)

    def arguments(self, open_paren: int) -> list[int]:
        """Start indices of the arguments of the call whose `(` is at ``open_paren``."""
        starts, i = [], open_paren + 1
        while i < len(self.tokens) and self.value(i) != ")":
            starts.append(i)
            i = self.expression(i, check=None)
            if self.value(i) == ",":
                i += 1
        return starts

    def run(self) -> list[Finding]:
        for i, token in enumerate(self.tokens):
            if token.type == "name":
                self.name(i, token)
            elif (token.type == "string" and self.value(i + 1) == ":"
                  and self.value(i - 1) in ("{", ",")
                  and unquote_string(token.value) in TEXT_ATTRIBUTES):
                self.expression(i + 2)  # rule 2: { "aria-label": … }
        return self.findings

    def name(self, i: int, token: Token) -> None:
        last, dotted = _last(token.value), "." in token.value or self.value(i - 1) == "."
        following = self.value(i + 1)
        if dotted and following in ("=", "+=") and last in TEXT_PROPERTIES | MARKUP_PROPERTIES:
            self.expression(i + 2, "markup" if last in MARKUP_PROPERTIES else "text")  # 1, 4
        elif (not dotted and following == ":" and last in TEXT_PROPERTIES
              and self.value(i - 1) in ("{", ",")):
            self.expression(i + 2)  # rule 2
        elif following == "(":
            self.call(i, last, dotted)

    def call(self, i: int, last: str, dotted: bool) -> None:
        if last == "h" and not dotted:
            for start in self.arguments(i + 1)[2:]:  # h(tag, attributes, ...children)
                self.expression(start)
        elif last == "Option" and self.value(i - 1) == "new":
            self.expression(i + 2)  # its first argument
        elif last == "setAttribute" and self.value(i + 2) is not None:
            name = self.tokens[i + 2]
            if (_is_literal(name) and literal_text(name) in TEXT_ATTRIBUTES
                    and self.value(i + 3) == ","):
                self.expression(i + 4)
        elif last == "insertAdjacentHTML":
            args = self.arguments(i + 1)
            if len(args) == 2:
                self.expression(args[1], "markup")
        elif last in TEXT_CALLS:
            args = self.arguments(i + 1)
            first = self.tokens[args[0]] if args else None
            if (len(args) == 2 and first is not None and first.type == "string"
                    and _KEY.match(literal_text(first))):
                return  # params.append("team", team): a key, not text
            for start in args:
                self.expression(start)


def scan(source: str, path: str = "<snippet>") -> list[Finding]:
    """Every user-visible literal in ``source`` that does not go through `_()`."""
    return _Scan(source, path).run()


def scan_tree(root: Path) -> list[Finding]:
    findings = []
    for path in sorted(root.rglob("*.js")):
        findings += scan(path.read_text(encoding="utf-8"), str(path))
    return findings
