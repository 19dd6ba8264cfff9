"""The quality criteria by milestone (guide G34.P, Tablas 2–4), loaded from their data file.

The criteria are data: a new version of the guide edits ``quality_criteria.toml``, and the
checklist form, its page and its document follow.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("quality_criteria.toml")


@dataclass(frozen=True)
class Criterion:
    text: str
    group: str = ""


@dataclass(frozen=True)
class Moment:
    key: str
    milestone: str
    moment: str
    intro: str
    criteria: tuple[Criterion, ...]
    note: str = ""


@dataclass(frozen=True)
class ActionList:
    key: str
    name: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class QualityCriteria:
    source: str
    moments: tuple[Moment, ...]
    techniques: tuple[ActionList, ...]
    management_levels: tuple[ActionList, ...]


@cache
def quality_criteria(path: Path = DATA_FILE) -> QualityCriteria:
    with Path(path).open("rb") as handle:
        raw = tomllib.load(handle)
    return QualityCriteria(
        source=raw["source"],
        moments=tuple(
            Moment(key=m["key"], milestone=m["milestone"], moment=m["moment"], intro=m["intro"],
                   note=m.get("note", ""),
                   criteria=tuple(Criterion(**criterion) for criterion in m["criteria"]))
            for m in raw["moments"]),
        techniques=tuple(ActionList(t["key"], t["name"], tuple(t["actions"]))
                         for t in raw["techniques"]),
        management_levels=tuple(ActionList(m["key"], m["name"], tuple(m["actions"]))
                                for m in raw["management_levels"]),
    )
