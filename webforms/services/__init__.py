"""The service layer: what the web views and the command line ask for, one concern a module.

- ``catalogue``: the current catalogue of controlled documents;
- ``numbering``: numbers for issued copies, kept in the register;
- ``rendering``: a document rendered in a language (filled, blank or printed handout);
- ``issuing``: the output store's folder (printed materials);
- ``pdf``: the PDF of a rendered document;
- ``batch``: many documents from one spreadsheet, in the background, each a team record;
- ``batch_rows``: what became of each row of a batch (its history and report);
- ``materials``: the trainers' pack of blank templates and handouts;
- ``control``: template checks, new versions, reproduction of issued copies.

Only ``webforms.storage`` touches the files of ``output/`` and ``instance/``.
"""
