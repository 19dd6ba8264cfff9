"""HTTP headers that keep records out of caches, pages out of other sites' frames and, in
production, browsers on HTTPS."""
from flask import current_app, request

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
        # A page answering a submission, or a document, holds what a person typed about cases.
        if request.method == "POST" or response.headers.get(
                "Content-Disposition", "").startswith("attachment"):
            response.headers["Cache-Control"] = "no-store"
        return response
