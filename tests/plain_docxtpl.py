"""The engine's compiled path on a template alone (no controlled frame), and docxtpl itself: the
two sides of the upstream comparison (test_engine_upstream). The product always renders in the
controlled frame (documents.engine), so this plain path lives with the tests that use it."""
from __future__ import annotations

import io
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.opc.coreprops import CoreProperties
from docxtpl import DocxTemplate
from jinja2 import Environment

from webforms.documents.compiled import CompiledTemplate, compile_template, template_objects, template_sha256
from webforms.documents.package import PackageSkeleton, assemble, core_xml_with

_DEFAULT_ENVIRONMENTS = {False: Environment(), True: Environment(autoescape=True)}


@lru_cache(maxsize=64)
def plain_skeleton(compiled: CompiledTemplate) -> PackageSkeleton:
    """The skeleton of the template alone, as docxtpl saves it (cached per template)."""
    docx = Document(str(compiled.path))
    docx.core_properties  # noqa: B018 - created when missing, as docxtpl's render does
    return PackageSkeleton.build(docx, compiled)


def render_docx(path: Path, context: Mapping, jinja_env: Environment | None = None,
                autoescape: bool = False) -> bytes:
    """What ``DocxTemplate(path)``, ``render(context, jinja_env, autoescape)`` and ``save``
    produce, from the compiled template: the reference for docxtpl's own test templates."""
    if jinja_env is None:
        jinja_env = _DEFAULT_ENVIRONMENTS[autoescape]
    elif autoescape:
        jinja_env.autoescape = True  # as docxtpl does
    compiled = compile_template(path, jinja_env, template_sha256(path))
    bound = template_objects(context)
    if bound or (compiled.footnotes and compiled.sections != 1):
        return render_with_docxtpl(path, context, jinja_env, *bound[:1])
    skeleton = plain_skeleton(compiled)
    members = skeleton.render_members(compiled, context)
    values = compiled.render_properties(context)

    def set_values(props: CoreProperties) -> None:
        for name, value in values.items():
            setattr(props, name, value)

    members[skeleton.core_part] = core_xml_with(skeleton.core_xml, set_values)
    return assemble(skeleton, members)


def render_with_docxtpl(path: Path, context: Mapping, jinja_env: Environment | None,
                        template: DocxTemplate | None = None) -> bytes:
    """docxtpl itself: load, render, save (with ``template``, the DocxTemplate the context's
    images or sub-documents were made for, when there is one)."""
    template = template or DocxTemplate(str(path))
    template.render(context, jinja_env)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
