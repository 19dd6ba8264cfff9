"""A team's records: filling a form, issuing its controlled copy, and everything after.

``fill_views`` (blueprint ``forms``, ``/formularios``) fill, review and issue; ``views`` (blueprint
``records``, ``/registros``) list a team's records and show one; ``annulment_views`` the annulment
requests and queue. ``issuing`` takes the number, keeps the record and its audit entry (one
transaction, committed by the caller); ``saved`` and ``queries`` read and keep sealed records;
``carry_forward``, ``pending``, ``retention``, ``review``, ``preview`` and the copy modules do one
thing each; ``need_to_know`` is the roles table for record actions.
"""
