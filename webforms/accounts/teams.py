"""Teams and regions as administrators keep them: created on purpose (the command line or the
"Equipos y regiones" page), renamed, put in a region, given the guide's modalities, deactivated.

Why nothing creates a team by the way: a team named while creating an account was made when
missing, so a typo made a new team whose records nobody else saw. Now an account only joins a
team that exists (chosen from a list on the web), and an unknown name is refused with a message
saying where teams are created.

Why a deactivated team is kept: its records stay (their numbers are in the register) and stay
readable as before (its members and its region's coordinators, records.need_to_know); it is
only left out wherever new work is assigned (the accounts' team list, the team a new record is
saved in). Every change is audited, with names and keys only.
"""
from __future__ import annotations

from flask_babel import gettext as _

from webforms.audit import trail as audit
from webforms.content.g34p import MODALITY_ROLES
from webforms.storage.database import db
from webforms.storage.models import Team

# The guide's modalities (G34.P, 3.7, Tabla 5), in its order: what a team works in, what a case
# manager works in, what a mesa interna is held for.
MODALITIES = tuple(key for key, _label, _intro, _duties in MODALITY_ROLES)
MODALITY_LABELS = {key: label for key, label, _intro, _duties in MODALITY_ROLES}
MAX_NAME = 120


class TeamError(ValueError):
    """The change cannot be made as asked; the message says why, in the reader's language."""


def clean_name(name: str | None) -> str:
    """The name as kept: spaces collapsed; refused when empty or too long."""
    name = " ".join((name or "").split())
    if not name:
        raise TeamError(_("Escriba el nombre."))
    if len(name) > MAX_NAME:
        raise TeamError(_("El nombre no puede tener más de %(num)d caracteres.", num=MAX_NAME))
    return name


def find(name: str | None) -> Team | None:
    """The team called ``name`` (spaces and letter case aside), or None."""
    wanted = " ".join((name or "").split()).casefold()
    if not wanted:
        return None
    # Compared here, not in SQL: SQLite's lower() leaves "Ñ" and "Á" as they are.
    return next((team for team in all_teams() if team.name.casefold() == wanted), None)


def existing(name: str, *, allow: tuple[Team, ...] = ()) -> Team:
    """The active team called ``name`` (or one of ``allow``, active or not); an unknown or
    deactivated name is refused: accounts never create teams."""
    team = find(name)
    if team is None:
        raise TeamError(_("No existe el equipo «%(name)s». Los equipos se crean en "
                          "«Equipos y regiones» o con «flask users team NOMBRE».", name=name))
    if not team.active and team not in allow:
        raise TeamError(_("El equipo «%(name)s» está desactivado.", name=team.name))
    return team


def all_teams() -> list[Team]:
    return list(db.session.scalars(db.select(Team).order_by(Team.name)))


def active_teams() -> list[Team]:
    """The teams new work may be given to (accounts' team lists)."""
    return [team for team in all_teams() if team.active]


def active_regions() -> list[Team]:
    return [team for team in active_teams() if team.is_region]


def check_modalities(modalities) -> list[str]:
    """``modalities`` in the guide's order; an unknown key is refused."""
    unknown = sorted(set(modalities) - set(MODALITIES))
    if unknown:
        raise TeamError(_("Modalidad desconocida: %(keys)s. Modalidades: %(all)s.",
                          keys=", ".join(unknown), all=", ".join(MODALITIES)))
    return [key for key in MODALITIES if key in set(modalities)]


def create(name: str, *, is_region: bool = False, region: Team | None = None,
           modalities=()) -> Team:
    """A new active team (or region, ``is_region``); a name already taken is refused."""
    name = clean_name(name)
    if find(name) is not None:
        raise TeamError(_("Ya existe un equipo o una región con el nombre «%(name)s».",
                          name=name))
    modalities = [] if is_region else check_modalities(modalities)
    region = None if is_region else check_place(None, region)
    team = Team(name=name, is_region=is_region, active=True, modalities=modalities, region=region)
    db.session.add(team)
    db.session.flush()
    audit.append("team_created", target=team.name, region=region_name(team),
                 is_region=is_region, modalities=list(team.modalities))
    return team


def change(team: Team, *, name: str, region: Team | None, modalities, active: bool) -> None:
    """Rename ``team``, put it in ``region`` (or none), set its modalities and whether it is
    active; audited once with what changed (names and keys)."""
    name = clean_name(name)
    other = find(name)
    if other is not None and other is not team:
        raise TeamError(_("Ya existe un equipo o una región con el nombre «%(name)s».",
                          name=name))
    modalities = [] if team.is_region else check_modalities(modalities)
    region = None if team.is_region else check_place(team, region)
    before = snapshot(team)  # everything checked: a refused change leaves the team untouched
    team.name, team.modalities, team.region, team.active = name, modalities, region, active
    db.session.flush()
    changed = {key: value for key, value in snapshot(team).items() if before[key] != value}
    if changed:
        audit.append(action_for(before, changed), target=team.name, **changed,
                     **({"former_name": before["name"]} if "name" in changed else {}))


def action_for(before: dict, changed: dict) -> str:
    if "active" in changed:
        return "team_deactivated" if before["active"] else "team_activated"
    return "team_changed"


def snapshot(team: Team) -> dict:
    return {"name": team.name, "region": region_name(team), "modalities": list(team.modalities),
            "active": bool(team.active)}


def region_name(team: Team) -> str | None:
    return team.region.name if team.region is not None else None


def check_place(team: Team | None, region: Team | None) -> Team | None:
    """``region`` when ``team`` may be put in it (a region, not the team itself); else refused."""
    if region is not None and (region is team or not region.is_region):
        raise TeamError(_("Elija una región para el equipo."))
    return region


def set_region(team_name: str, region_name_: str | None) -> Team:
    """The command line's ``users team NAME --region REGION``: ``NAME`` created when missing
    (an explicit command), ``REGION`` an existing team that becomes (or is) a region."""
    team = find(team_name) or create(team_name)
    region = None
    if region_name_:
        region = find(region_name_)
        if region is None:
            raise TeamError(_("No existe la región «%(name)s». Créela con «flask users region "
                              "NOMBRE» o en «Equipos y regiones».", name=region_name_))
        if region is team or region.region_id == team.id:
            raise TeamError(_("Un equipo no puede ser su propia región."))
        region.is_region = True
    change(team, name=team.name, region=region, modalities=team.modalities, active=team.active)
    return team


def modalities_of(user) -> list[str]:
    """The modalities ``user`` works in, in the guide's order: a case manager's own; otherwise
    those of their active teams; none when nothing is set up (then every one is offered)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.has_role("gestor_caso") and user.modality and not user.has_role("coordinador"):
        return [user.modality]
    keys = {key for team in user.teams if team.active for key in team.modalities or ()}
    return [key for key in MODALITIES if key in keys]


def modality_label(key: str | None):
    return MODALITY_LABELS.get(key or "", key or "")


def by_id(team_id: int) -> Team | None:
    return db.session.get(Team, team_id)
