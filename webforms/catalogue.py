"""The catalogue of controlled documents (``doc_templates/catalogue.toml``).

The quality office owns code, version, issue date and change history of every format. They live in
one data file so that the header of every generated document is filled from there and never typed
into a .docx by hand.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_FILE = "catalogue.toml"


class CatalogueError(ValueError):
    """The catalogue file is missing a value or contradicts itself."""


@dataclass(frozen=True)
class Change:
    date: dt.date
    version: int
    description: str


@dataclass(frozen=True)
class ControlledDocument:
    key: str
    title: str
    process: str
    code: str
    version: int
    issued: dt.date
    template: Path
    summary: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Catalogue:
    organization: str
    documents: dict[str, ControlledDocument]

    def get(self, key: str) -> ControlledDocument | None:
        return self.documents.get(key)

    def __iter__(self):
        return iter(self.documents.values())


def load_catalogue(templates_dir: Path) -> Catalogue:
    """Read and validate the catalogue; every error names the document and the missing value."""
    path = Path(templates_dir) / CATALOGUE_FILE
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise CatalogueError(f"{path}: catalogue not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: {exc}") from exc

    organization = _require(raw.get("organization", {}), "name", str, "[organization]")
    documents = {
        key: _parse_document(key, entry, Path(templates_dir))
        for key, entry in raw.get("documents", {}).items()
    }
    _check_unique_codes(documents.values())
    return Catalogue(organization=organization, documents=documents)


def _parse_document(key: str, entry: dict, templates_dir: Path) -> ControlledDocument:
    where = f"[documents.{key}]"
    changes = tuple(
        Change(
            date=_require(change, "date", dt.date, f"{where} changes[{index}]"),
            version=_require(change, "version", int, f"{where} changes[{index}]"),
            description=_require(change, "description", str, f"{where} changes[{index}]"),
        )
        for index, change in enumerate(entry.get("changes", []))
    )
    document = ControlledDocument(
        key=key,
        title=_require(entry, "title", str, where),
        process=_require(entry, "process", str, where),
        code=_require(entry, "code", str, where),
        version=_require(entry, "version", int, where),
        issued=_require(entry, "issued", dt.date, where),
        template=templates_dir / _require(entry, "template", str, where),
        summary=entry.get("summary", ""),
        changes=changes,
    )
    if not changes or max(change.version for change in changes) != document.version:
        raise CatalogueError(f"{where}: the change history must end with version {document.version}")
    if not document.template.is_file():
        raise CatalogueError(f"{where}: template {document.template} does not exist")
    return document


def _require(entry: dict, name: str, kind: type, where: str):
    value = entry.get(name)
    # TOML dates load as datetime.date; a datetime is a date too, so reject it explicitly.
    if not isinstance(value, kind) or (kind is dt.date and isinstance(value, dt.datetime)):
        raise CatalogueError(f"{where}: '{name}' must be a {kind.__name__}")
    if isinstance(value, str) and not value.strip():
        raise CatalogueError(f"{where}: '{name}' must not be empty")
    return value


def _check_unique_codes(documents) -> None:
    seen: dict[str, str] = {}
    for document in documents:
        if document.code in seen:
            raise CatalogueError(
                f"[documents.{document.key}]: code {document.code} is already used by "
                f"[documents.{seen[document.code]}]"
            )
        seen[document.code] = document.key
