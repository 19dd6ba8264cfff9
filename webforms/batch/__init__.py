"""Batches: many documents from one spreadsheet, issued in the background, each a team record.

``spreadsheet`` reads and checks the uploaded workbook (no Flask), ``service`` issues its rows in
slices, ``rows`` keeps what became of each row (history and report), ``views`` are the upload,
progress and report pages and ``tasks`` the job queue's work.
"""
