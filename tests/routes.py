"""Every route of the product and who may use it: the route × role table of
tests/test_accounts.py, also walked by other modules (e.g. mail)."""
from __future__ import annotations

from tests.accounts import ROLE_ACCOUNTS
from tests.helpers import sign_in
from webforms.storage.models import ROLES

ANONYMOUS = "anonymous"
PUBLIC = {ANONYMOUS, *ROLES}
SUPERVISOR, COORDINATOR, HR = {"supervisor"}, {"coordinador"}, {"talento_humano"}
CASE_MANAGER = {"gestor_caso"}
QUALITY = {"calidad"}

# Every route, with the people who may use it. A new route must be added here (a test checks).

ROUTES = [
    ("main.home", "GET", "/", PUBLIC),
    ("main.choose_language", "GET", "/idioma/en?next=/", PUBLIC),
    ("main.health", "GET", "/healthz", PUBLIC),
    ("main.keep_alive", "GET", "/sesion/sigo-aqui", set(ROLES)),
    ("forms.fill", "GET", "/formularios/registro_reunion", SUPERVISOR),
    ("forms.fill", "GET", "/formularios/supervision_individual", SUPERVISOR),
    ("forms.fill", "GET", "/formularios/verificacion_hitos", SUPERVISOR | CASE_MANAGER),
    ("forms.fill", "GET", "/formularios/conferencia_ampliada", COORDINATOR),
    ("forms.fill", "GET", "/formularios/mesa_interna", COORDINATOR | CASE_MANAGER),
    ("forms.fill", "GET", "/formularios/tdr_gestor_casos", HR),
    ("forms.autosave", "POST", "/formularios/registro_reunion/borrador", SUPERVISOR),
    ("forms.issue", "POST", "/formularios/registro_reunion/emitir", SUPERVISOR),
    ("records.listing", "GET", "/registros/", set(ROLES)),
    ("records.record_page", "GET", "/registros/1", set(ROLES)),
    ("records.download", "GET", "/registros/1/documento.docx", set(ROLES)),
    ("records.duplicate", "POST", "/registros/1/duplicar", set(ROLES)),
    ("records.delete", "POST", "/registros/1/eliminar", set(ROLES)),
    ("records.restore", "POST", "/registros/1/restaurar", set(ROLES)),
    ("annulments.request_annulment", "POST", "/registros/1/anular", set(ROLES)),
    ("annulments.withdraw", "POST", "/registros/anulaciones/1/retirar", set(ROLES)),
    ("annulments.queue", "GET", "/registros/anulaciones", QUALITY | COORDINATOR),
    ("annulments.decide", "POST", "/registros/anulaciones/1/decidir", QUALITY | COORDINATOR),
    ("dashboard.index", "GET", "/panel/", SUPERVISOR | COORDINATOR),
    ("dashboard.team", "GET", "/panel/1", SUPERVISOR | COORDINATOR),
    ("dashboard.export_xlsx", "GET", "/panel/1.xlsx", SUPERVISOR | COORDINATOR),
    ("actions.index", "GET", "/acciones/", SUPERVISOR | COORDINATOR),
    ("actions.team", "GET", "/acciones/1", SUPERVISOR | COORDINATOR),
    ("actions.update", "POST", "/acciones/1/1", SUPERVISOR | COORDINATOR),
    ("forms.blank", "GET", "/formularios/registro_reunion/en-blanco.docx", PUBLIC),
    ("batch.upload_page", "GET", "/formularios/tdr_gestor_casos/lote/", HR),
    ("batch.upload", "POST", "/formularios/tdr_gestor_casos/lote/", HR),
    ("batch.example_xlsx", "GET", "/formularios/tdr_gestor_casos/lote/ejemplo.xlsx", HR),
    ("batch.example_csv", "GET", "/formularios/tdr_gestor_casos/lote/ejemplo.csv", HR),
    ("batch.status", "GET", "/formularios/tdr_gestor_casos/lote/" + "0" * 32, HR),
    ("batch.generate_valid_rows", "POST",
     "/formularios/tdr_gestor_casos/lote/" + "0" * 32 + "/generar", HR),
    ("batch.download", "GET", "/formularios/tdr_gestor_casos/lote/" + "0" * 32 + "/zip", HR),
    ("batch.history", "GET", "/formularios/tdr_gestor_casos/lote/historial", HR),
    ("control.master_list", "GET", "/documentos", PUBLIC),
    ("control.verify", "GET", "/verificar", PUBLIC),
    ("control.verify_file", "POST", "/verificar", PUBLIC),
    ("trainers.index", "GET", "/formadores/", PUBLIC),
    ("trainers.download", "GET", "/formadores/material_competencias.docx", PUBLIC),
    ("trainers.download_pack", "GET", "/formadores/paquete.zip", PUBLIC),
    # A job's page and file: public routes, each job reached by its owner only (tests/test_jobs)
    ("jobs.status", "GET", "/trabajos/" + "0" * 32, PUBLIC),
    ("jobs.download", "GET", "/trabajos/" + "0" * 32 + "/archivo", PUBLIC),
    ("admin.users", "GET", "/administracion/usuarios", {"admin"}),
    ("admin.user", "GET", "/administracion/usuarios/1", {"admin"}),
    ("admin.end_sessions", "POST", "/administracion/usuarios/999/cerrar-sesiones", {"admin"}),
    ("admin.temporary_password", "POST", "/administracion/usuarios/999/clave-temporal",
     {"admin"}),
    ("admin.two_step_reset", "POST", "/administracion/usuarios/999/reiniciar-dos-pasos",
     {"admin"}),
    ("teams.listing", "GET", "/administracion/equipos/", {"admin"}),
    ("teams.edit", "GET", "/administracion/equipos/1", {"admin"}),
    # A team's roster: its supervisors and administrators (the supervisor is in team 1).
    ("roster.listing", "GET", "/equipos/1/plantilla", {"admin", "supervisor"}),
    ("roster.edit", "GET", "/equipos/1/plantilla/999999", {"admin", "supervisor"}),
    ("sessions.listing", "GET", "/cuenta/sesiones", set(ROLES)),
    ("sessions.end_one", "POST", "/cuenta/sesiones/999999/cerrar", set(ROLES)),
    ("sessions.end_others", "POST", "/cuenta/sesiones/cerrar-otras", set(ROLES)),
    ("sessions.choose_reminders", "POST", "/cuenta/avisos", SUPERVISOR | COORDINATOR),
    # Single sign-on's way to the provider and back (a 404 while it is not configured).
    ("sso.start", "GET", "/acceso/oidc/ingresar", PUBLIC),
    ("sso.callback", "GET", "/acceso/oidc/callback", PUBLIC),
    # Webhook endpoints: administrators (endpoint 999999 does not exist: a 404 for them).
    ("webhooks.listing", "GET", "/administracion/webhooks/", {"admin"}),
    ("webhooks.endpoint", "GET", "/administracion/webhooks/999999", {"admin"}),
    ("webhooks.rotate_secret", "POST", "/administracion/webhooks/999999/rotar-secreto", {"admin"}),
    ("webhooks.send_test", "POST", "/administracion/webhooks/999999/probar", {"admin"}),
    ("webhooks.remove", "POST", "/administracion/webhooks/999999/eliminar", {"admin"}),
    ("api_tokens.listing", "GET", "/cuenta/tokens/", set(ROLES)),
    ("api_tokens.revoke", "POST", "/cuenta/tokens/999999/revocar", set(ROLES)),
    ("api_admin.listing", "GET", "/administracion/tokens/", {"admin"}),
    ("api_admin.revoke", "POST", "/administracion/tokens/999999/revocar", {"admin"}),
    ("api_docs.openapi_json", "GET", "/api/v1/openapi.json", PUBLIC),
    ("api_docs.docs_page", "GET", "/api/v1/docs", PUBLIC),
    ("audit.log", "GET", "/auditoria", {"admin", "calidad"}),
    ("audit.export", "GET", "/auditoria.csv", {"admin", "calidad"}),
    # The password reset by e-mail: public, and there only when mail is configured (404 without:
    # tests/test_mail.py checks them with mail).
    ("security.forgot_password", "GET", "/cuenta/recuperar-clave", PUBLIC),
    ("security.reset_password", "GET", "/cuenta/recuperar-clave/no-es-un-enlace", PUBLIC),
]

# The API's operations (webforms.api): a bearer token, never a cookie, holding the scope each
# needs (tests/test_api.py checks each one refuses without it).
API_ROUTES = [
    ("records_api.list_records", "GET", "/api/v1/records/", "records:read-meta"),
    ("records_api.read_record", "GET", "/api/v1/records/1", "records:read-meta"),
    ("records_api.download_docx", "GET", "/api/v1/records/1/document.docx", "records:read"),
    ("records_api.download_pdf", "GET", "/api/v1/records/1/document.pdf", "records:read"),
    ("documents_api.issue_document", "POST", "/api/v1/documents/", "records:issue"),
    ("verification_api.verify_number", "GET", "/api/v1/verification/?number=X&code=Y",
     "verify"),
    ("dashboard_api.team_figures", "GET", "/api/v1/dashboard/1", "dashboard:read"),
    ("batches_api.start_from_rows", "POST", "/api/v1/batches/tdr_gestor_casos", "batch:write"),
    ("batches_api.start_from_spreadsheet", "POST",
     "/api/v1/batches/tdr_gestor_casos/spreadsheet", "batch:write"),
    ("batches_api.follow", "GET", "/api/v1/batches/jobs/" + "0" * 32, "batch:write"),
    ("batches_api.result", "GET", "/api/v1/batches/jobs/" + "0" * 32 + "/result",
     "batch:write"),
]


def as_person(app, who):
    client = app.test_client()
    return client if who == ANONYMOUS else sign_in(client, ROLE_ACCOUNTS[who])
