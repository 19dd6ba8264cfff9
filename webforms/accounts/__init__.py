"""Accounts: users, roles and teams, sign-in with two-step verification, sessions and passwords.

Flask-Security-Too does the protocol; this package holds what the product adds: ``service`` and
``teams`` (administration), ``sessions`` (server-side sessions that end at once), ``two_step``,
``passwords`` and ``password_feedback``, ``attempts`` (throttling), ``sign_in`` (the forms), the
administration and session pages (``*_views``) and the ``users`` command group (``cli``).
"""
