"""Webhooks: administrators register the systems that want to know when a record is issued,
revised or annulled, an action becomes overdue or a batch finishes. Each event is written to an
outbox in the transaction of what happened (outbox.py, from the records' and the batch's
signals), and posted by the job queue after that commit (tasks.py), signed as Standard Webhooks
sign (signing.py), to addresses checked after DNS resolution and connected to as checked
(addresses.py), with retries and a delivery log per endpoint (service.py). Payloads carry ids,
numbers and links only, never a record's content (payloads.py; docs/webhooks.md).
"""
