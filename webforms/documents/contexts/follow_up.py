"""Values added to a form after records were issued without them: the follow-up of earlier
agreements, a learning goal's status.

A saved copy is rendered again byte for byte from its data, embedded data included
(docs/exact-copies.md, tests/golden): a record issued before such a value existed must embed the
same data as it did. So a value still at the default an earlier record reads as (an empty
follow-up, a goal "not started") is left out of the embedded data, and put back when the data is
read (restore), which is also how a record issued before the change reads: with that default.
Defaults are given by path: ``"group"`` for a whole value, ``"group.field"`` for a field of each
row of a group.
"""
from __future__ import annotations


def without_defaults(values: dict, defaults: dict) -> dict:
    """``values`` without the values equal to their default in ``defaults``."""
    values = dict(values)
    for path, default in defaults.items():
        group, _, name = path.partition(".")
        if not name:
            if values.get(group) == default:
                values.pop(group, None)
            continue
        if isinstance(values.get(group), list):
            values[group] = [_without(row, name, default) for row in values[group]]
    return values


def with_defaults(data: dict, defaults: dict) -> dict:
    """``data`` (embedded data under today's names) with each missing value at its default."""
    data = dict(data)
    for path, default in defaults.items():
        group, _, name = path.partition(".")
        if not name:
            data.setdefault(group, default)
        elif isinstance(data.get(group), list):
            data[group] = [{name: default} | row if isinstance(row, dict) else row
                           for row in data[group]]
    return data


def _without(row, name: str, default):
    if isinstance(row, dict) and row.get(name) == default:
        return {key: value for key, value in row.items() if key != name}
    return row
