"""Application services shared by every feature: the current catalogue, rendering a document in a
language, the store of issued files, dates and "now", mail, health and the faults a page reports.

Feature packages (``records``, ``batch``, ``jobs``, ``dashboard``, …) import from here; nothing here
imports a feature.
"""
