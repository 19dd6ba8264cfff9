"""The catalogue of controlled documents (``doc_templates/catalogue.toml``).

The quality office owns code, version, issue date and change history of every format. They live in
one data file so that the header of every generated document is filled from there and never typed
into a .docx by hand.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

CATALOGUE_FILE = "catalogue.toml"


class CatalogueError(ValueError):
    """The catalogue file is missing a value or contradicts itself."""


STATUSES = ("current", "obsolete")
KINDS = ("form", "handout")  # a form's document, or a training handout
# The Spanish values of catalogues written before the identifiers became English.
FORMER_VALUES = {"vigente": "current", "obsoleto": "obsolete", "formato": "form",
                 "material": "handout"}


@dataclass(frozen=True)
class Change:
    date: dt.date
    version: int
    description: str
    # The .docx of this version, kept when a newer one replaced it (None for the current one).
    template: Path | None = None
    sha256: str = ""
    # The description in other languages ({"en": …}).
    translations: dict = field(default_factory=dict, compare=False, hash=False)
    # The revision of the controlled frame this version is printed in (see documents.controlled):
    # a version keeps the frame its copies were issued with, so they still reproduce.
    frame: int = 1


@dataclass(frozen=True)
class ControlledDocument:
    key: str  # the document's name in URLs, forms and document contexts
    # What the controlled header shows.
    title: str
    process: str
    code: str
    version: int
    issued: dt.date
    template: Path
    summary: str
    changes: tuple[Change, ...]
    status: str = "current"
    kind: str = "form"
    # Title, process and summary in other languages: {"en": {"title": …}, …}
    translations: dict = field(default_factory=dict, compare=False, hash=False)
    language: str = "es"  # the language :meth:`localized` gave the entry

    def localized(self, language: str) -> "ControlledDocument":
        """The entry as shown in ``language``: translated title, process and summary, when the
        catalogue has them (Spanish, the source, otherwise)."""
        language = (language or "es")[:2]
        texts = self.translations.get(language, {})
        return replace(self, language=language,
                       **{name: texts[name] for name in ("title", "process", "summary")
                          if texts.get(name)})

    def frame_for(self, version: int) -> int:
        """The frame revision ``version`` is printed in."""
        return next((change.frame for change in self.changes if change.version == version), 1)

    def history(self, version: int) -> list[tuple[dt.date, int, str]]:
        """The change history up to ``version`` as that version's frame prints it: date, version
        and description, in the entry's language from frame revision 2 on."""
        shown = [change for change in self.changes if change.version <= version]
        translated = self.frame_for(version) >= 2
        return [(change.date, change.version,
                 change.translations.get(self.language, change.description) if translated
                 else change.description) for change in shown]

    @property
    def is_current(self) -> bool:
        return self.status == "current"

    def issued_for(self, version: int) -> dt.date:
        """The issue date of ``version``: that of its entry in the change history."""
        if version == self.version:
            return self.issued
        return next((change.date for change in self.changes if change.version == version),
                    self.issued)

    def template_for(self, version: int | None = None) -> Path:
        """The .docx of ``version`` (the current one by default), to reproduce old documents."""
        if version is None or version == self.version:
            return self.template
        for change in self.changes:
            if change.version == version and change.template is not None:
                return change.template
        raise CatalogueError(f"[documents.{self.key}]: no template kept for version {version}")


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
    changes = tuple(_parse_change(change, f"{where} changes[{index}]", templates_dir)
                    for index, change in enumerate(entry.get("changes", [])))
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
        status=_current_name(entry.get("status", "current")),
        kind=_current_name(entry.get("kind", "form")),
        translations={language: dict(texts)
                      for language, texts in entry.get("translations", {}).items()},
    )
    if document.kind not in KINDS:
        raise CatalogueError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    if document.status not in STATUSES:
        raise CatalogueError(f"{where}: 'status' must be one of {', '.join(STATUSES)}")
    for change in changes:
        if change.template is not None and not change.template.is_file():
            raise CatalogueError(f"{where}: template {change.template} of version "
                                 f"{change.version} does not exist")
    if not changes or max(change.version for change in changes) != document.version:
        raise CatalogueError(f"{where}: the change history must end with version {document.version}")
    if not document.template.is_file():
        raise CatalogueError(f"{where}: template {document.template} does not exist")
    return document


def _parse_change(change: dict, where: str, templates_dir: Path) -> Change:
    return Change(
        date=_require(change, "date", dt.date, where),
        version=_require(change, "version", int, where),
        description=_require(change, "description", str, where),
        template=templates_dir / change["template"] if change.get("template") else None,
        sha256=change.get("sha256", ""),
        translations=dict(change.get("translations", {})),
        frame=_require(change, "frame", int, where) if "frame" in change else 1,
    )


def _current_name(value):
    return FORMER_VALUES.get(value, value)


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


class CatalogueFile:
    """The catalogue of one folder, reloaded when ``catalogue.toml`` changes on disk.

    If a change breaks it (a hand edit gone wrong, a file removed), :meth:`current` raises
    :class:`CatalogueError` on every call until it is fixed, while :meth:`last_good` still gives
    the catalogue pages were shown with, so a form being filled can be shown again.
    """

    def __init__(self, templates_dir: Path):
        self.templates_dir = Path(templates_dir)
        self._stamp = None
        self._catalogue = None
        self.current()  # fail at start-up, not at the first request, if it is broken

    def current(self) -> Catalogue:
        try:
            stat = (self.templates_dir / CATALOGUE_FILE).stat()
        except OSError as exc:
            raise CatalogueError(f"{self.templates_dir / CATALOGUE_FILE}: {exc}") from exc
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            catalogue = load_catalogue(self.templates_dir)
            self._catalogue, self._stamp = catalogue, stamp
        return self._catalogue

    def last_good(self) -> Catalogue:
        return self._catalogue
