"""formularios-gc: forms that produce controlled Word documents for case-management teams."""
from webforms.app import create_app

__all__ = ["create_app"]
