"""What every feature shares (this package was ``webforms.services``): the catalogue as a request
sees it (``catalogue``), a document rendered in one language (``rendering``), the folder of printed
materials (``issuing``), dates written one way (``dates``), mail (``mail``), the state of each
dependency (``health``) and the faults a page reports as 503 (``faults``).

Feature packages (``records``, ``batch``, ``jobs``, ``dashboard``, …) import from here. Not the other
way round, with two exceptions left: ``health`` asks ``jobs`` and ``records.numbering``, and
``rendering`` asks ``records.numbering`` for a copy's check code.
"""
