"""The endpoints' secrets and the signature of each message, as Standard Webhooks define them
(https://www.standardwebhooks.com), with its reference library ``standardwebhooks``: headers
``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (``v1,`` + base64 of the
HMAC-SHA256 of ``{id}.{timestamp}.{body}`` under the secret's decoded bytes)."""
from __future__ import annotations

import base64
import datetime as dt
import math
import secrets

from standardwebhooks import Webhook

PREFIX = "whsec_"
SECRET_BYTES = 32
USER_AGENT = "formularios-gc-webhooks/1"


def new_secret() -> str:
    """A new endpoint secret: ``whsec_`` and the base64 of 32 random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signed_headers(secret: str, message_id: str, at: dt.datetime, body: bytes) -> dict:
    """The headers of one attempt at posting ``body`` (signed at ``at``)."""
    return {"webhook-id": message_id,
            "webhook-timestamp": str(math.floor(at.timestamp())),
            "webhook-signature": Webhook(secret).sign(message_id, at, body),
            "Content-Type": "application/json", "User-Agent": USER_AGENT}
