"""What a template shows, read from its tags without rendering it.

docxtpl turns a .docx into Jinja source (``{%tr for row in rows %}`` becomes a loop around a table
row). Walking that source's syntax tree tells which context values the template uses, which lists
it loops over, and which fields of each looped row it prints, by context path: ``workers`` for
``{% for worker in workers %}``, ``reviewed.criteria`` for a loop over ``moment.criteria`` inside a
loop over ``reviewed``. The template checks compare that with the form and the sample context, so a
misspelt ``{{ row.instituton }}`` or a row field never shown is found before a user is.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import nodes

from webforms.documents.environment import document_environment

TEMPLATED_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


@dataclass
class TemplateUsage:
    """Context values a template uses: top-level names, and row fields by loop path."""

    names: set[str] = field(default_factory=set)
    # Each looped path and the name its loop gives a row (``workers`` -> ``worker``).
    loops: dict[str, str] = field(default_factory=dict)
    row_fields: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def placeholder(self, path: str, row_field: str) -> str:
        """How the template writes (or would write) a row field: ``{{ worker.success }}``."""
        return "{{ %s.%s }}" % (self.loops.get(path, "…"), row_field)


def template_usage(path: Path) -> TemplateUsage:
    """The usage of every templated part (body, headers, footers, notes) of a .docx."""
    usage = TemplateUsage()
    patcher = DocxTemplate(None)
    environment = document_environment()
    with zipfile.ZipFile(io.BytesIO(Path(path).read_bytes())) as package:
        for part in sorted(n for n in package.namelist() if TEMPLATED_PART.fullmatch(n)):
            source = patcher.patch_xml(package.read(part).decode("utf-8"))
            _visit(environment.parse(source), {}, usage)
    return usage


def _visit(node: nodes.Node, scope: dict[str, str], usage: TemplateUsage) -> None:
    """Record what ``node`` uses; ``scope`` maps each loop variable to the path it runs over."""
    if isinstance(node, nodes.For):
        _visit(node.iter, scope, usage)
        path = _path(node.iter, scope)
        inner = dict(scope)
        for target in _names(node.target):
            inner.pop(target, None)
        if path and isinstance(node.target, nodes.Name):
            usage.loops.setdefault(path, node.target.name)
            inner[node.target.name] = path
        for child in (*node.body, *node.else_, *([node.test] if node.test else [])):
            _visit(child, inner, usage)
        return
    if isinstance(node, (nodes.Getattr, nodes.Getitem)):
        base = _path(node.node, scope)
        attribute = _attribute(node)
        if base in scope.values() and _is_loop_variable(node.node, scope) and attribute:
            usage.row_fields[base].add(attribute)
    if isinstance(node, nodes.Name) and node.ctx == "load" and node.name not in scope \
            and node.name != "loop":  # Jinja's own loop variable
        usage.names.add(node.name)
    for child in node.iter_child_nodes():
        _visit(child, scope, usage)


def _path(node: nodes.Node, scope: dict[str, str]) -> str | None:
    """``a.b.c`` for a chain of names and attributes; a loop variable stands for its path."""
    if isinstance(node, nodes.Name):
        return scope.get(node.name, node.name)
    if isinstance(node, (nodes.Getattr, nodes.Getitem)):
        base, attribute = _path(node.node, scope), _attribute(node)
        return f"{base}.{attribute}" if base and attribute else None
    return None


def _attribute(node) -> str | None:
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


def _is_loop_variable(node: nodes.Node, scope: dict[str, str]) -> bool:
    return isinstance(node, nodes.Name) and node.name in scope


def _names(target: nodes.Node) -> list[str]:
    return [name.name for name in target.find_all(nodes.Name)] if not isinstance(
        target, nodes.Name) else [target.name]
