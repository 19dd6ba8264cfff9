"""The action tracker: every action agreed in a Registro, a Conferencia ampliada, a Mesa interna
or an individual supervision, followed record after record until it is closed.

``families`` says where each form agrees actions and follows them up, ``tracker`` keeps the
``actions`` table in step with the issued records (and answers what is open, overdue, carried
forward), ``views`` is the team's Acciones page, ``cli`` rebuilds the table from issued records.
"""
