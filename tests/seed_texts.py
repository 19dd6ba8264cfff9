"""What each controlled document mirrors of the seeds in ``../shared/seeds/``, sentence by sentence.

A reviewer's checklist written as data: for each document, the passages of the seeds it prints
(from a line that starts with ``start`` to the line that starts with ``end``, both included), split
into sentences and list items the way a reader ticks them off. Page furniture of the guide (its
running header and the "Antes de imprimir…" notice) is not content and is dropped.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from webforms.config import PROJECT_ROOT

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"
GUIDE = "G34.P-guia-rol-gestor-caso.txt"
SUPERVISION = "supervision-functions.txt"


@dataclass(frozen=True)
class Passage:
    seed: str
    start: str | None = None  # None: from the first line
    end: str | None = None  # None: to the last line
    after: str | None = None  # look for ``start`` after the line that starts with this
    numbered: bool = True  # False: a numbered item quoted alone, printed without its number


# Seed lines a finished document replaces with what was decided, by (document, how printed).
DECIDED = {
    # The model lists the superiors to choose from; a ToR names the one decided (the blank
    # prints the model's line and a line to write it on).
    ("tdr_gestor_casos", "filled"): {
        "Supervisor/a de DIS / Coordinador/a de DIS / Oficial de revisión de DIS / Supervisor/a de "
        "caso (se decide a nivel operativo)"},
}

# The seed lines a document does not print, and why.
NOT_PRINTED = {
    # The model's own heading: the document's title is the catalogue's.
    "TdR - Gestor/a de casos (Ejemplo)",
    # Words of the guide's figure "Equilibrio de las funciones", drawn, not written.
    "DE GESTIÓN", "DE DESARROLLO", "DE APOYO",
}

PASSAGES = {
    "registro_reunion": [Passage("registro-reunion-gestion-casos.txt")],
    "tdr_gestor_casos": [Passage("tdr-gestor-casos.txt")],
    "conferencia_ampliada": [
        Passage(GUIDE, "- Finalidad:", "Fuente: Dirección de Protección. Subdirección de "
                "Restablecimiento de Derechos. ICBF 2022."),
        Passage(GUIDE, "Aspectos para tener en cuenta:", "3. Para el registro",
                after="Instancia\tParticipantes"),
    ],
    "mesa_interna": [Passage(GUIDE, "2. Cada mes los gestores", "2. Cada mes los gestores",
                             numbered=False)],
    "supervision_individual": [Passage(SUPERVISION, "\t1. Rendición", "· Reconocimiento")],
    "material_supervision": [Passage(SUPERVISION)],
    "material_definiciones": [Passage("definiciones-gestion-casos.txt")],
    "material_competencias": [Passage(GUIDE, "Tabla 1. Competencias", "Fuente:")],
    "material_rol_modalidades": [Passage(GUIDE, "Tabla 5. Rol específico", "Fuente:")],
}

_FURNITURE = re.compile(r"^\s*(PROCESO PROTECCIÓN|BIENESTAR FAMILIAR|GUÍA DE ORIENTACIONES|"
                        r"Antes de imprimir|Cualquier copia impresa|G34\.P$|09/11/2023$|"
                        r"Versión 1$|Página \d+ de \d+$|--)|.*(\t\d+|\.{3,}\s*\d*)$")
# (and the guide's table of contents and list of tables: a title, dots, a page number)
_BREAKS = re.compile(r"<[^>]+>|\t|\s[▪·•]\s|^\s*[▪·•-]\s")
# A sentence ends at a full stop before a capital, except after "Tabla 7." (a caption's number);
# a "Fuente:" line is one citation.
_SENTENCE_END = re.compile(r"(?<!Tabla \d\.)(?<=[.;!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡“(])")
_SUPERSCRIPTS = str.maketrans("", "", "¹²³⁴⁵⁶⁷⁸⁹⁰")


def normal(text: str) -> str:
    """Text as compared: one kind of quotes and spaces, no footnote marks."""
    text = unicodedata.normalize("NFC", text).translate(_SUPERSCRIPTS)
    text = re.sub(r"[“”«»]", '"', text).replace("…", "...")
    return re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s+", " ", text)).strip()


def passage_lines(passage: Passage) -> list[str]:
    lines = [line for line in (SEEDS / passage.seed).read_text(encoding="utf-8").splitlines()
             if not _FURNITURE.match(line)]
    after = 0 if passage.after is None else _index(lines, passage.after, 0)
    first = after if passage.start is None else _index(lines, passage.start, after)
    last = len(lines) - 1 if passage.end is None else _index(lines, passage.end, first)
    return lines[first:last + 1]


def _index(lines: list[str], start: str, after: int) -> int:
    for number in range(after, len(lines)):
        if lines[number].lstrip(" ").startswith(start.lstrip(" ")):
            return number
    raise LookupError(f"no seed line starts with {start!r}")


def sentences(lines: list[str]) -> list[str]:
    """The sentences and list items of seed lines, each as a reader would look for it."""
    found = []
    for line in lines:
        for chunk in _BREAKS.split(line):
            chunk = normal(chunk.strip(" -·▪•"))
            pieces = [chunk] if chunk.startswith("Fuente:") else _SENTENCE_END.split(chunk)
            found.extend(piece for piece in _joined(pieces) if piece not in NOT_PRINTED)
    return list(dict.fromkeys(found))


def _joined(pieces: list[str]) -> list[str]:
    """Pieces with a lone number ("1.", "(2014).") joined to the sentence it opens."""
    joined, pending = [], ""
    for piece in (piece.strip("* ") for piece in pieces):
        if " " not in piece and piece[:1] in "(0123456789":
            pending += piece + " "
        elif piece:
            joined.append(pending + piece)
            pending = ""
    return joined


def seed_sentences(key: str, how: str = "blank") -> list[str]:
    """The sentences document ``key`` prints ``how`` ("blank" or "filled")."""
    found = []
    for passage in PASSAGES[key]:
        found += [sentence if passage.numbered else ENUMERATOR.sub("", sentence)
                  for sentence in sentences(passage_lines(passage))]
    return [sentence for sentence in found if sentence not in DECIDED.get((key, how), ())]


ENUMERATOR = re.compile(r"^(\d+\.|[a-z]\))\s+")
