"""HTTP headers that keep records out of caches, pages out of other sites' frames and, in
production, browsers on HTTPS."""
from flask import current_app, request
from flask_login import current_user

# Everything the pages use is served by the application itself: no CDN, no inline script.
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; object-src 'none'; "
                           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

# Production is served over HTTPS only: browsers remember it for a year.
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app) -> None:
    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if current_app.config["ENV_NAME"] == "production":
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if holds_typed_content(response):
            response.headers["Cache-Control"] = "no-store"
        return response


def holds_typed_content(response) -> bool:
    """Whether a response may hold what a person typed about cases, and so must never be kept by
    a browser or a proxy: a page answering a submission, a document, and every page a signed-in
    user sees (records, forms filled again, the audit trail, jobs); the static files never."""
    if request.endpoint == "static":
        return False
    return (request.method == "POST"
            or response.headers.get("Content-Disposition", "").startswith("attachment")
            or current_user.is_authenticated)
