"""The service layer: what the web views and the command line ask for, one concern a module.

- ``catalogue``: the current catalogue of controlled documents;
- ``numbering``: numbers for issued copies, kept in the register;
- ``rendering``: a document rendered in a language (filled, blank or printed handout);
- ``issuing``: a filled form issued as a numbered copy, kept in the output store;
- ``pdf``: the PDF of a rendered document;
- ``batch``: many documents from one spreadsheet, in the background;
- ``materials``: the trainers' pack of blank templates and handouts;
- ``control``: template checks, new versions, reproduction of issued copies.

Only ``webforms.storage`` touches the files of ``output/`` and ``instance/``.
"""
