"""Teams and regions kept in the web: a team's active flag and modalities, whether it is a
region, and a case manager's modality. Existing teams stay active; a team other teams name as
their region becomes a region.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0012', '0011', None, None


def upgrade():
    with op.batch_alter_table('teams') as batch_op:
        batch_op.add_column(sa.Column('is_region', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('modalities', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))
    op.execute("UPDATE teams SET is_region = TRUE WHERE id IN "
               "(SELECT region_id FROM teams WHERE region_id IS NOT NULL)")
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('modality', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('modality')
    with op.batch_alter_table('teams') as batch_op:
        batch_op.drop_column('modalities')
        batch_op.drop_column('active')
        batch_op.drop_column('is_region')
