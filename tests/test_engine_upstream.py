"""docxtpl's own test templates render through the compiled engine exactly as through docxtpl.

The templates in ``tests/docxtpl_upstream/`` come from docxtpl's repository (``tests/templates``,
LGPL 2.1, see ``LICENSE.txt`` there); each context below is the one of docxtpl's test script of
the same name. Images made for a ``DocxTemplate`` (``InlineImage(tpl, …)``) are handed to docxtpl
with that template, and must come out the same too. What is a call on a ``DocxTemplate`` rather
than a template and a context (``new_subdoc``, which also needs docxcompose, ``build_url_id``,
``replace_pic``/``replace_media``/``replace_embedded``) is not the engine's business; where the
template still applies, such an object is replaced by plain data (noted on the case).
"""
from __future__ import annotations

import json
from pathlib import Path
from unicodedata import name as unicode_name

import jinja2
import pytest
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, Listing, R, RichText, RichTextParagraph
from jinja2.exceptions import TemplateError

from tests.plain_docxtpl import render_docx, render_with_docxtpl
from tests.readings import differences, reading_of
from webforms.documents.compiled import template_objects

UPSTREAM = Path(__file__).parent / "docxtpl_upstream"


def _alerts():
    return {"alerts": [
        {"date": "2015-03-10", "desc": RichText("Very critical alert", color="FF0000", bold=True),
         "type": "CRITICAL", "bg": "FF0000"},
        {"date": "2015-03-11", "desc": RichText("Just a warning"), "type": "WARNING",
         "bg": "FFDD00"},
        {"date": "2015-03-12", "desc": RichText("Information"), "type": "INFO", "bg": "8888FF"},
        {"date": "2015-03-13", "desc": RichText("Debug trace"), "type": "DEBUG", "bg": "FF00FF"},
    ]}


def _escape():
    return {
        "myvar": R('"less than" must be escaped : <, this can be done with RichText() or R()'),
        "myescvar": 'It can be escaped with a "|e" jinja filter in the template too : < ',
        "nlnp": R("Here is a multiple\nlines\nstring\aand some\aother\aparagraphs",
                  color="#ff00ff"),
        "mylisting": Listing("the listing\nwith\nsome\nlines\nand special chars : <>& ..."),
        "page_break": R("\f"),
        "new_listing": "\nThis is a new listing\nNow, does not require Listing() Object\n"
                       "Here is a \t tab\a\nHere is a new paragraph\a\nHere is a page break : "
                       "\f\nThat's it\n",
        "some_html": "HTTP/1.1 200 OK\nServer: Apache-Coyote/1.1\nCache-Control: no-store\n\n"
                     "<html>\n<head>\n    <title>Struts Problem Report</title>\n    <style>\n"
                     "    \tpre {\n\t    \tmargin: 0;\n\t        padding: 0;\n\t    }    \n"
                     "    </style>\n</head>\n<body>\n...\n</body>\n</html>",
    }


def _escape_auto():
    reserved = """<"&'>"""
    return {"nested_dict": {unicode_name(character): character for character in reserved},
            "autoescape": 'Escaped "str & ing"!',
            "autoescape_unicode": "This is an escaped <unicode> example \u4f60 & \u6211",
            "iteritems": lambda mapping: mapping.items()}


def _header_footer(title, company):
    # docxtpl's script adds a Subdoc ({{p mysubdoc}}); made by the DocxTemplate itself, it is
    # replaced by a plain paragraph text here.
    return {"title": title, "company_name": company, "date": "2016-03-17",
            "mysubdoc": "This is a sub-document to check it does not break header and footer"}


def _nested_for():
    return {"dishes": [{"name": "Pizza", "ingredients": ["bread", "tomato", "ham", "cheese"]},
                       {"name": "Hamburger",
                        "ingredients": ["bread", "chopped steak", "cheese", "sauce"]},
                       {"name": "Apple pie",
                        "ingredients": ["flour", "apples", "suggar", "quince jelly"]}],
            "authors": [{"name": "Saint-Exupery", "books": [
                {"title": "Le petit prince"}, {"title": "L'aviateur"}, {"title": "Vol de nuit"}]},
                {"name": "Barjavel", "books": [{"title": "Ravage"}, {"title": "La nuit des temps"},
                                               {"title": "Le grand secret"}]}]}


ITEMS = [{"desc": "Python interpreters", "qty": 2, "price": "FREE"},
         {"desc": "Django projects", "qty": 5403, "price": "FREE"},
         {"desc": "Guido", "qty": 1, "price": "100,000,000.00"}]


def _richtext():
    text = RichText()
    text.add("a rich text", style="myrichtextstyle")
    for chunk, style in ((" with ", {}), ("some italic", {"italic": True}), (" and ", {}),
                         ("some violet", {"color": "#ff00ff"}), ("some striked", {"strike": True}),
                         ("some Highlighted", {"highlight": "#ffff00"}), ("big", {"size": 60}),
                         ("\nYou can add an hyperlink, here to ", {}),
                         # docxtpl's script links "google" with tpl.build_url_id(): plain here.
                         ("google", {}), ("\nEt voilà ! \n1st line\n2nd line", {}),
                         ("\aA new paragraph : <cool>\a", {}),
                         ("--- A page break here (see next page) ---\f", {})):
        text.add(chunk, **style)
    for underline in ("single", "double", "thick", "dotted", "dash", "wave"):
        text.add("\nUnderline : " + underline + " \n", underline=underline)
    text.add("Courier New\n", font="Courier New")
    text.add("superscript", superscript=True)
    text.add("subscript", subscript=True)
    embedded = RichText("an example of ")
    embedded.add(text)
    return {"example": embedded}


def _richtext_paragraph():
    paragraph = RichTextParagraph()
    paragraph.add("The rich text paragraph function allows paragraph styles",
                  parastyle="myrichparastyle")
    paragraph.add("Any built in paragraph style can be used", parastyle="IntenseQuote")
    paragraph.add("custom bullet\apoints", parastyle="SquareBullet")
    paragraph.add("Numbered Bullet Points", parastyle="BasicNumbered")
    paragraph.add("set the", parastyle="centerAlign")
    rich = RichText()
    rich.add("This works with ")
    rich.add("Rich ", bold=True)
    rich.add("Strings", underline="single")
    paragraph.add(rich, parastyle="SquareBullet")
    return {"example": paragraph}


def _custom_filters_environment():
    environment = jinja2.Environment()
    environment.filters["my_filterA"] = lambda value, text: value + " " + text
    environment.filters["my_filterB"] = lambda value, number: value + number
    return environment


# template, context factory, options (jinja_env factory, autoescape)
CASES = {
    "cellbg": ("cellbg_tpl.docx", _alerts, {}),
    "comments": ("comments_tpl.docx", dict, {}),
    "custom_jinja_filters": ("custom_jinja_filters_tpl.docx",
                             lambda: {"base_value_string": " Hello", "base_value_float": 1.5},
                             {"jinja_env": _custom_filters_environment}),
    "doc_properties": ("doc_properties_tpl.docx", lambda: {"test": "HelloWorld"}, {}),
    "dynamic_table": ("dynamic_table_tpl.docx", lambda: {
        "col_labels": ["fruit", "vegetable", "stone", "thing"],
        "tbl_contents": [{"label": "yellow", "cols": ["banana", "capsicum", "pyrite", "taxi"]},
                         {"label": "red", "cols": ["apple", "tomato", "cinnabar", "bus"]},
                         {"label": "green", "cols": ["guava", "cucumber", "aventurine", "card"]}]},
        {}),
    "escape": ("escape_tpl.docx", _escape, {}),
    "escape_auto": ("escape_tpl_auto.docx", _escape_auto, {"autoescape": True}),
    "footnotes": ("footnotes_tpl.docx", lambda: {"a_jinja_variable": "A Jinja variable!"}, {}),
    "header_footer": ("header_footer_tpl.docx",
                      lambda: _header_footer("Header and footer test", "The World Wide company"),
                      {}),
    "header_footer_utf8": ("header_footer_tpl_utf8.docx",
                           lambda: _header_footer("헤더와 푸터", "세계적 회사"), {}),
    "header_footer_entities": ("header_footer_entities_tpl.docx",
                               lambda: {"title": "Header and footer test"}, {}),
    "horizontal_merge": ("horizontal_merge_tpl.docx", dict, {}),
    "less_cells_after_loop": ("less_cells_after_loop_tpl.docx", dict, {}),
    "merge_paragraph": ("merge_paragraph_tpl.docx", lambda: {"living_in_town": True}, {}),
    "module_execute": ("module_execute_tpl.docx",
                       lambda: json.loads((UPSTREAM / "module_execute.json").read_text()), {}),
    "multi_rendering_1": ("multi_rendering_tpl.docx",
                          lambda: {"title": "Title ONE", "body": "The first document"}, {}),
    "multi_rendering_2": ("multi_rendering_tpl.docx",
                          lambda: {"title": "Title TWO", "body": "The second document"}, {}),
    "nested_for": ("nested_for_tpl.docx", _nested_for, {}),
    "order": ("order_tpl.docx", lambda: {
        "customer_name": "Eric", "items": ITEMS, "in_europe": True, "is_paid": False,
        "company_name": "The World Wide company", "total_price": "100,000,000.00"}, {}),
    "preserve_spaces": ("preserve_spaces_tpl.docx",
                        lambda: {"tag_1": "looking", "tag_2": "too"}, {}),
    "richtext": ("richtext_tpl.docx", _richtext, {}),
    "richtext_and_if": ("richtext_and_if_tpl.docx",
                        lambda: {"foobar": RichText("Foobar!", color="ff0000")}, {}),
    "richtext_eastAsia": ("richtext_eastAsia_tpl.docx", lambda: {
        "example": RichText("测试TEST", font="eastAsia:Microsoft YaHei"),
        "Chinese": RichText("测试TEST", font="eastAsia:微软雅黑"),
        "simsun": RichText("测试TEST", font="eastAsia:SimSun")}, {}),
    "richtextparagraph": ("richtext_paragraph_tpl.docx", _richtext_paragraph, {}),
    "vertical_merge": ("vertical_merge_tpl.docx", lambda: {
        "items": ITEMS, "total_price": "100,000,000.00", "category": "Book"}, {}),
    "vertical_merge_nested": ("vertical_merge_nested_tpl.docx", dict, {}),
    "word2016": ("word2016_tpl.docx", lambda: {
        "test_space": "          ", "test_tabs": 5 * "\t",
        "test_space_r": RichText("          "), "test_tabs_r": RichText(5 * "\t")}, {}),
    "get_undeclared_variables": ("get_undeclared_variables.docx", lambda: {
        "name": "John Doe", "age": 25, "email": "john@example.com", "is_student": True,
        "has_degree": True, "degree_field": "Computer Science",
        "skills": ["Python", "Django", "JavaScript"],
        "projects": [{"name": "Project A", "year": 2023, "description": "A great project"},
                     {"name": "Project B", "year": 2024, "description": "Another project"}],
        "company_name": "Test Corp", "page_number": 1, "generation_date": "2024-01-15",
        "author": "Test Author"}, {}),
}


def _render_both(case: str) -> tuple[bytes, bytes]:
    """The case rendered by the compiled engine, and by docxtpl."""
    template, context, options = CASES[case]
    make_environment = options.get("jinja_env")
    autoescape = options.get("autoescape", False)
    path = UPSTREAM / template
    engine = render_docx(path, context(), make_environment() if make_environment else None,
                         autoescape=autoescape)
    environment = make_environment() if make_environment else (
        jinja2.Environment(autoescape=True) if autoescape else None)
    return engine, render_with_docxtpl(path, context(), environment)


@pytest.mark.parametrize("case", sorted(CASES))
def test_upstream_template_renders_as_with_docxtpl(case):
    template, context, _ = CASES[case]
    assert not template_objects(context())  # the compiled path, not docxtpl's
    engine, reference = _render_both(case)
    engine_reading, reference_reading = reading_of(engine), reading_of(reference)
    assert engine_reading == reference_reading, differences(engine_reading, reference_reading)


def test_a_template_rendered_twice_gives_each_context_its_own_document():
    first, _ = _render_both("multi_rendering_1")
    second, _ = _render_both("multi_rendering_2")
    assert "Title ONE" in str(reading_of(first)["body"])
    assert "Title TWO" in str(reading_of(second)["body"])
    assert "Title ONE" not in str(reading_of(second)["body"])


def test_a_template_error_is_raised_as_docxtpl_raises_it():
    path = UPSTREAM / "template_error_tpl.docx"
    context = {"test_variable": "test variable value"}
    with pytest.raises(TemplateError) as from_docxtpl:
        render_with_docxtpl(path, context, None)
    with pytest.raises(TemplateError) as from_engine:
        render_docx(path, context)
    assert str(from_engine.value) == str(from_docxtpl.value)
    assert list(from_engine.value.docx_context) == list(from_docxtpl.value.docx_context)


def _inline_images(template):
    return {"myimage": InlineImage(template, str(UPSTREAM / "python.png"), width=Mm(20)),
            "myimageratio": InlineImage(template, str(UPSTREAM / "django.png"), width=Mm(30),
                                        height=Mm(60)),
            "frameworks": [{"image": InlineImage(template, str(UPSTREAM / image), height=Mm(10)),
                            "desc": description}
                           for image, description in (("django.png", "The web framework"),
                                                      ("zope.png", "Zope"),
                                                      ("pyramid.png", "Pyramid"))]}


def _header_inline_images(template):
    return {"inline_image": InlineImage(template, str(UPSTREAM / "django.png"), height=Mm(10)),
            "images": [InlineImage(template, str(UPSTREAM / "python.png"), height=Mm(10))
                       for _ in range(3)]}


@pytest.mark.parametrize(("template", "context", "environment"), [
    ("inline_image_tpl.docx", _inline_images, lambda: jinja2.Environment(autoescape=True)),
    ("header_footer_inline_image_tpl.docx", _header_inline_images, lambda: None),
])
def test_images_made_for_a_docxtemplate_are_rendered_by_docxtpl_with_it(template, context,
                                                                          environment):
    path = UPSTREAM / template
    bound = DocxTemplate(str(path))
    engine = render_docx(path, context(bound), environment())
    reference_template = DocxTemplate(str(path))
    reference = render_with_docxtpl(path, context(reference_template), environment(),
                                    reference_template)
    engine_reading, reference_reading = reading_of(engine), reading_of(reference)
    assert engine_reading == reference_reading, differences(engine_reading, reference_reading)
    assert any(name.startswith("word/media/") for name in engine_reading["members"])
