"""The quality criteria by milestone (guide G34.P, Tablas 2–4), loaded from their data file.

The criteria are data: a new version of the guide edits ``quality_criteria.toml``, and the
checklist form, its page and its document follow. Its texts are Spanish msgids: they go through
gettext when shown (``pybabel extract`` collects them with ``webforms.i18n_extract``).
"""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import NamedTuple

from flask_babel import lazy_gettext as _l

DATA_FILE = Path(__file__).with_name("quality_criteria.toml")


class Criterion(NamedTuple):
    """One quality criterion, under its group's heading when the table has groups."""

    text: str
    group: str = ""
    # A line of the seed that introduces the criteria after it (it ends in ":"): read, not
    # rated. It keeps its place among the criteria, so records issued before still line up.
    lead_in: bool = False


class Moment(NamedTuple):
    """One milestone of the care process with its criteria (a row group of Tablas 2–4)."""

    key: str
    milestone: str
    moment: str
    intro: str
    criteria: tuple[Criterion, ...]
    note: str = ""


class ActionList(NamedTuple):
    key: str
    name: str
    actions: tuple[str, ...]


class QualityCriteria(NamedTuple):
    source: str
    moments: tuple[Moment, ...]
    techniques: tuple[ActionList, ...]
    management_levels: tuple[ActionList, ...]


@cache
def quality_criteria(path: Path = DATA_FILE) -> QualityCriteria:
    with Path(path).open("rb") as handle:
        raw = tomllib.load(handle)
    return QualityCriteria(
        source=_text(raw["source"]),
        moments=tuple(
            Moment(key=m["key"], milestone=_text(m["milestone"]), moment=_text(m["moment"]),
                   intro=_text(m["intro"]), note=_text(m.get("note", "")),
                   criteria=tuple(Criterion(text=_text(c["text"]), group=_text(c.get("group", "")),
                                           lead_in=c.get("lead_in", False))
                                  for c in m["criteria"]))
            for m in raw["moments"]),
        techniques=tuple(ActionList(t["key"], _text(t["name"]), tuple(map(_text, t["actions"])))
                         for t in raw["techniques"]),
        management_levels=tuple(ActionList(m["key"], _text(m["name"]),
                                           tuple(map(_text, m["actions"])))
                                for m in raw["management_levels"]),
    )


def _text(text: str):
    """The text in the language of the moment it is shown (empty stays empty)."""
    return _l(text) if text else ""
