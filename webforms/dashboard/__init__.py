"""The team dashboard: the rhythms the guidance sets, open actions and the chart of a year.

``facts`` reads the records' metadata, ``rhythms`` and ``actions`` judge them, ``chart``, ``export``
and ``wording`` present them; ``service`` puts one panel together for ``views``.
"""
