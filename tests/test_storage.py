"""Concurrent generation never corrupts or swaps documents."""
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from tests.accounts import TEAM_MEMBER
from tests.helpers import REGISTRO_URL, labelled_value, open_docx, sign_in, valid_registro
from webforms.storage import OutputStore, unique_name


def test_unique_names_are_ascii_and_never_repeat():
    now = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.timezone.utc)
    names = {unique_name("F1.G34.P Reunión: ñandú 2026.docx", now) for _ in range(500)}
    assert len(names) == 500
    for name in names:
        assert name.isascii() and " " not in name and name.endswith(".docx")
        assert name.startswith("F1.G34.P-Reunion-nandu-2026_20261120T093000_")


def test_store_leaves_no_partial_file(tmp_path):
    store = OutputStore(tmp_path / "out")
    path = store.save(b"content", "doc.docx")
    assert path.read_bytes() == b"content"
    assert [p.name for p in (tmp_path / "out").iterdir()] == [path.name]


def test_parallel_requests_each_get_their_own_document(app, output_dir):
    def generate(number):
        with sign_in(app.test_client(), TEAM_MEMBER) as client:
            response = client.post(REGISTRO_URL, data=valid_registro(
                supervisor_name=f"Supervisora {number}"))
            assert response.status_code == 200
            return number, response.data

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(generate, range(16)))

    for number, data in results:
        assert labelled_value(open_docx(data), "Nombre del Supervisor") == f"Supervisora {number}"
    saved = sorted(path.read_bytes() for path in output_dir.iterdir())
    assert saved == sorted(data for _, data in results)
