"""Requests whose cost is bounded before any work: the number of fields is capped for every body.

Werkzeug caps the fields of a multipart body (``MAX_FORM_PARTS``) but not those of an urlencoded
one, where 2 MiB can carry 60,000 fields; each would become a row to validate and show again. The
same cap applies here before the body is split into fields.
"""
from __future__ import annotations

import io

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser


class BoundedFormDataParser(FormDataParser):
    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        body = stream.read()  # already limited to MAX_CONTENT_LENGTH
        if self.max_form_parts is not None and body.count(b"&") >= self.max_form_parts:
            raise RequestEntityTooLarge()
        return super()._parse_urlencoded(io.BytesIO(body), mimetype, content_length, options)


class BoundedRequest(Request):
    form_data_parser_class = BoundedFormDataParser
