"""Every document prints what it mirrors of the seeds, sentence by sentence, blank and filled, in
Spanish with the seeds' own wording and in English with none of it left in Spanish.

The passages each document mirrors are listed in ``tests/seed_texts.py``; a failure lists every
sentence missing, so a reviewer reads what to add rather than a first mismatch.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pytest
from babel.messages.pofile import read_po
from werkzeug.datastructures import MultiDict

from tests.helpers import paragraphs
from tests.seed_texts import ENUMERATOR, PASSAGES, SEEDS, normal, seed_sentences
from webforms.common.catalogue import catalogue_for_pages
from webforms.common.rendering import render_blank, render_filled
from webforms.config import PROJECT_ROOT
from webforms.documents.contexts import CONTEXTS
from webforms.documents.contexts.base import empty_form
from webforms.documents.engine import Issue
from webforms.forms import FORMS
from webforms.forms.base import formdata_from_values
from webforms.forms.sample import sample_value

pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="the seeds are not beside the checkout")

FORM_KEYS = [key for key in PASSAGES if CONTEXTS[key].has_form]
PRINTED = [(key, "blank") for key in PASSAGES] + [(key, "filled") for key in FORM_KEYS]


def filled_form(key: str, language: str):
    """The form as a page first shows it (pre-filled lists, defaults), every empty field filled."""
    blank = empty_form(key)
    values = blank.values()
    for field in blank.content_fields():
        if values.get(field.name) in (None, "", [], False):
            values[field.name] = sample_value(field)
    formdata = formdata_from_values(values)
    formdata.add("document_language", language)
    form = FORMS[key](formdata=MultiDict(formdata), meta={"csrf": False})
    form.validate()
    return form


def printed(document_app, key: str, how: str, language: str) -> list[str]:
    with document_app.test_request_context():
        document = catalogue_for_pages().get(key)
        if how == "blank":
            return paragraphs(render_blank(document, language).data)
        issue = Issue(number=f"{document.code}-2026-000001", version=document.version,
                      issued_at=dt.datetime(2026, 11, 20, 15, tzinfo=dt.timezone.utc),
                      template_sha256="0" * 64)
        return paragraphs(render_filled(document, filled_form(key, language), issue).data)


def missing_from(sentences, document: list[str]) -> list[str]:
    text = "\n".join(document)
    return [sentence for sentence in sentences if sentence not in text]


@pytest.mark.parametrize("key, how", PRINTED)
def test_spanish_documents_print_every_seed_sentence(document_app, key, how):
    missing = missing_from(seed_sentences(key, how), printed(document_app, key, how, "es"))
    assert not missing, f"{key} ({how}) lacks:\n" + "\n".join(missing)


@lru_cache(maxsize=1)
def english_messages() -> dict[str, str]:
    with open(PROJECT_ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po", "rb") as po:
        return {normal(message.id): normal(message.string) for message in read_po(po)
                if isinstance(message.id, str) and message.id and message.string}


def english_of(sentence: str) -> list[list[str]]:
    """What the English document must hold for a seed sentence: for each part of it, the English
    of a message that holds that part (any of them). A sentence is one part, or, printed as a
    label and its text or as a number and its item, two parts."""
    holding = [english for spanish, english in english_messages().items()
               if sentence in spanish or sentence.rstrip(":") == spanish]
    if holding:
        return [holding]
    numbered = ENUMERATOR.match(sentence)
    if numbered:
        return [[numbered.group(0).strip()], *english_of(sentence[numbered.end():])]
    label, colon, rest = sentence.partition(": ")
    if colon and rest:
        return [*english_of(label), *english_of(rest)]
    return [[]]


def same_in_english(sentence: str) -> bool:
    """A sentence the seed already writes in English (a cited title)."""
    return any(sentence in english for options in english_of(sentence) for english in options)


def in_english(sentence: str, text: str) -> bool:
    return all(any(english in text for english in options) for options in english_of(sentence))


@pytest.mark.parametrize("key, how", PRINTED)
def test_english_documents_print_every_seed_sentence_in_english(document_app, key, how):
    document = printed(document_app, key, how, "en")
    text = "\n".join(document)
    untranslated = [sentence for sentence in seed_sentences(key, how)
                    if not in_english(sentence, text)]
    assert not untranslated, f"{key} ({how}, en) lacks the English of:\n" + "\n".join(untranslated)
    spanish = [sentence for sentence in seed_sentences(key, how)
               if len(sentence.split()) >= 3 and sentence in text and not same_in_english(sentence)]
    assert not spanish, f"{key} ({how}, en) keeps in Spanish:\n" + "\n".join(spanish)
