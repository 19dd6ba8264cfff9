"""Encrypted backups of a whole installation, and getting it back (docs/backups.md).

``format`` is the container (parts encrypted in authenticated chunks, for a passphrase or a public
key), ``create`` what goes into it, ``verify`` opening and checking one, ``restore`` putting it
back, ``targets`` where backups are kept (a folder or S3), ``service`` taking one with retention
and audit entries, ``cli`` the ``backup`` command group and ``tasks`` the daily backup.
"""
