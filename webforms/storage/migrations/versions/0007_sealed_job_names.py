"""Job names sealed: an uploaded file's name (``jobs.label``), a result's name
(``jobs.result_name``) and each batch document's name (``job_parts.name``) may name a person, so
they are kept sealed like records (storage.sealing) instead of as text. Existing values are sealed
with the installation's data key; a batch part without a name (a row left out) has none.

Columns are added and dropped in place (ALTER TABLE … DROP COLUMN, SQLite 3.35 or later), never
by copying the table: on SQLite, dropping ``jobs`` to copy it would delete its parts (ON DELETE
CASCADE).
"""
import sqlalchemy as sa
from alembic import op

from webforms.storage.sealing import seal_text, sealer

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0007', '0006', None, None

JOB_NAMES = (('label', 'sealed_label'), ('result_name', 'sealed_result_name'))


def upgrade():
    for _text, sealed in JOB_NAMES:
        op.add_column('jobs', sa.Column(sealed, sa.LargeBinary(), nullable=True))
    op.add_column('job_parts', sa.Column('sealed_name', sa.LargeBinary(), nullable=True))
    connection = op.get_bind()
    jobs = sa.table('jobs', sa.column('id'), *[sa.column(name) for pair in JOB_NAMES
                                                for name in pair])
    for row in connection.execute(sa.select(jobs)).mappings().all():
        connection.execute(jobs.update().where(jobs.c.id == row['id']).values(
            {sealed: seal_text(row[text]) for text, sealed in JOB_NAMES}))
    parts = sa.table('job_parts', sa.column('job_id'), sa.column('position'), sa.column('name'),
                     sa.column('sealed_name'))
    for row in connection.execute(sa.select(parts).where(parts.c.name != '')).mappings().all():
        connection.execute(parts.update().where(
            parts.c.job_id == row['job_id'], parts.c.position == row['position']).values(
            sealed_name=seal_text(row['name'])))
    for text, _sealed in JOB_NAMES:
        op.drop_column('jobs', text)
    op.drop_column('job_parts', 'name')


def downgrade():
    for text, _sealed in JOB_NAMES:
        op.add_column('jobs', sa.Column(text, sa.String(length=255), nullable=True))
    op.add_column('job_parts', sa.Column('name', sa.String(length=255), nullable=False,
                                         server_default=''))
    connection = op.get_bind()
    names = sealer('names')
    jobs = sa.table('jobs', sa.column('id'), *[sa.column(name) for pair in JOB_NAMES
                                                for name in pair])
    for row in connection.execute(sa.select(jobs)).mappings().all():
        connection.execute(jobs.update().where(jobs.c.id == row['id']).values(
            {text: row[sealed] and names.open(row[sealed]) for text, sealed in JOB_NAMES}))
    parts = sa.table('job_parts', sa.column('job_id'), sa.column('position'), sa.column('name'),
                     sa.column('sealed_name'))
    for row in connection.execute(sa.select(parts).where(
            parts.c.sealed_name.is_not(None))).mappings().all():
        connection.execute(parts.update().where(
            parts.c.job_id == row['job_id'], parts.c.position == row['position']).values(
            name=names.open(row['sealed_name'])))
    for _text, sealed in JOB_NAMES:
        op.drop_column('jobs', sealed)
    op.drop_column('job_parts', 'sealed_name')
