"""Werkzeug's URL builders compiled once per test process, not once per test app.

Why: every test makes its own app (its own database and settings), and each app's URL map
compiles two Python functions per route (werkzeug.routing.Rule._compile_builder: an AST built,
walked and passed to ``compile()``): about 600 compilations, 0.1 s of a test app's 0.14 s. The
function compiled depends only on the rule's text, its parsed parts and its defaults; it reads
the rule itself (``.self``) when called, so the same code serves every app's copy of the rule.
This cache is for the tests only: the product makes one app per process and compiles each rule
once anyway. A rule whose defaults cannot be told apart by their repr is compiled as usual.
"""
from __future__ import annotations

from werkzeug.routing.rules import Rule

_compile_builder = Rule._compile_builder
_builders: dict[tuple, object] = {}


def cached_builder(self: Rule, append_unknown: bool = True):
    key = builder_key(self, append_unknown)
    if key is None:
        return _compile_builder(self, append_unknown)
    if key not in _builders:
        _builders[key] = _compile_builder(self, append_unknown)
    return _builders[key]


def builder_key(rule: Rule, append_unknown: bool) -> tuple | None:
    """What the compiled builder depends on, or None when a default's repr is not its value."""
    defaults = rule.defaults or {}
    if not all(isinstance(value, (str, int, float, bool, type(None)))
               for value in defaults.values()):
        return None
    converters = tuple(sorted((name, type(converter).__qualname__)
                              for name, converter in rule._converters.items()))
    return (rule.rule, rule.subdomain, rule.host, rule.merge_slashes, tuple(rule._trace),
            tuple(sorted((name, repr(value)) for name, value in defaults.items())),
            converters, append_unknown)


def install() -> None:
    Rule._compile_builder = cached_builder
