"""The API under /api/v1: the same records, documents, verification, dashboard and batches as the
pages, for other systems, with scoped tokens (api.tokens) and an OpenAPI 3.1 description
(api.spec). A token acts as its account: the same roles, teams and need to know as the pages."""
