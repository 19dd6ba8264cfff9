"""The check code printed beside an issued copy's number, and its check on the verification
page. Shared: the copies print it (common.rendering), the records show it, the verification page
checks it (control.verification)."""
from __future__ import annotations

import base64
import hashlib
import hmac

from flask import current_app


def check_code(number: str) -> str:
    """The code printed beside a copy's number: a keyed hash of the number (``K7QD-M2XA``).

    Numbers are sequential and can be guessed; the code cannot without the installation's
    verification key, so the verification page confirms a copy only to someone holding it.
    """
    digest = hmac.new(current_app.config["VERIFICATION_KEY"].encode(), number.encode(),
                      hashlib.sha256).digest()
    code = base64.b32encode(digest)[:8].decode()
    return f"{code[:4]}-{code[4:]}"


def code_matches(number: str, code: str) -> bool:
    typed = "".join(code.split()).upper().replace("-", "")
    return hmac.compare_digest(check_code(number).replace("-", ""), typed)
