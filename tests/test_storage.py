"""Concurrent generation never corrupts or swaps documents."""
from concurrent.futures import ThreadPoolExecutor

from tests.accounts import TEAM_MEMBER
from tests.helpers import REGISTRO_URL, issue_through_page, labelled_value, open_docx, sign_in, valid_registro


def test_parallel_requests_each_get_their_own_document(app, output_dir):
    def generate(number):
        with sign_in(app.test_client(), TEAM_MEMBER) as client:
            response = issue_through_page(client, REGISTRO_URL, data=valid_registro(
                supervisor_name=f"Supervisora {number}"))
            assert response.status_code == 200
            return number, response.data

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(generate, range(16)))

    for number, data in results:
        assert labelled_value(open_docx(data), "Nombre del Supervisor") == f"Supervisora {number}"
    numbers = {open_docx(data).core_properties.identifier for _, data in results}
    assert len(numbers) == 16
    # Each record's copy, rendered again from what it was saved with, is the very file issued.
    client = sign_in(app.test_client(), TEAM_MEMBER)
    for _, data in results[:4]:
        record_id = record_numbered(app, open_docx(data).core_properties.identifier)
        again = client.get(f"/registros/{record_id}/documento.docx")
        assert again.data == data, (again.status_code, again.get_data(as_text=True)[-300:])
    assert not output_dir.exists() or not any(output_dir.iterdir())


def record_numbered(app, number: str) -> int:
    from webforms.storage.database import db
    from webforms.storage.models import Record

    with app.app_context():
        return db.session.scalar(db.select(Record.id).where(Record.number == number))
