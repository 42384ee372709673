"""Erasure of a whole household on request (GDPR art. 17), driven by the device that knows.

Once case ids travel inside the ciphertext (envelope format 2) the server cannot tell which
records form a household; a supervisor's phone, which can open them, sends the record ids.
The server erases each as the CLI does (every revision gone, only the id remembered), so
phones that were offline drop their copies at their next pull and cannot push them back."""

from __future__ import annotations

from typing import Any

from outreach.audit import service as audit
from outreach.auth.principal import Principal
from outreach.errors import Forbidden
from outreach.extensions import db
from outreach.sync.erase import erase_record
from outreach.sync.models import Envelope, ErasedRecord
from outreach.teams.service import supervised_team

ERASURE_REASONS = ("subject_request", "duplicate", "entered_in_error", "other")


def erase_household(principal: Principal, slug: str, record_ids: list[str], reason: str
                    ) -> dict[str, Any]:
    """Erase the given records of the team; ids of another team (or unknown) are not touched
    and are answered as ``not_found``, so nothing is learnt about other teams' records."""
    team = supervised_team(principal, slug, "Only the team's supervisors erase its records.")
    if principal.role != "supervisor" or slug not in principal.teams:
        # An admin holds no team key, so cannot know which records are the household's.
        raise Forbidden("Only the team's own supervisors erase its records.")
    wanted = list(dict.fromkeys(record_ids))
    ours = set(db.session.execute(
        db.select(Envelope.record_id).where(Envelope.team_id == team.id,
                                            Envelope.record_id.in_(wanted))).scalars())
    already = set(db.session.execute(
        db.select(ErasedRecord.record_id).where(ErasedRecord.team_id == team.id,
                                                ErasedRecord.record_id.in_(wanted))).scalars())
    erased, revisions = [], 0
    for record_id in wanted:
        if record_id in ours:
            revisions += erase_record(record_id, actor_id=principal.user_id)
            erased.append(record_id)
    audit.record("household_erased", actor_id=principal.user_id, device_id=principal.device_id,
                 organisation_id=principal.organisation_id, team_id=team.id,
                 target_type="team", target_id=team.slug, reason=reason,
                 records=len(erased), revisions=revisions)
    return {"erased": erased, "already_erased": sorted(already),
            "not_found": [r for r in wanted if r not in ours and r not in already]}
