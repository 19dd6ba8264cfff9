"""Home page: the forms a team can fill."""
from flask import Blueprint, render_template

from ..forms import FORMS
from ..services import catalogue

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    documents = [document for document in catalogue()
                 if document.key in FORMS and document.is_current]
    return render_template("home.html", documents=documents)


@bp.get("/healthz")
def health():
    """For a load balancer or a supervisor process: the app is up and its catalogue loaded."""
    return {"status": "ok", "documents": len(catalogue().documents)}
