"""Imports every domain's models so Alembic and the app see one complete metadata."""

from outreach.admin.models import AccessRequest, Enrolment
from outreach.audit.models import AuditEvent
from outreach.auth.models import Device, RefreshToken, TokenFamily, User
from outreach.forms.models import PublishedForm
from outreach.keys.models import KeyGrant, RecoveryGrant, RecoveryKey, TeamKey
from outreach.paper.models import PaperCounter, PaperSerial
from outreach.ratelimit.models import RateLimitCounter
from outreach.reports.models import PublishedFigures
from outreach.sync.models import Envelope, ErasedRecord, RecordHead, SyncState
from outreach.teams.models import Area, Membership, Organisation, Team

__all__ = [
    "AccessRequest",
    "Area",
    "AuditEvent",
    "Device",
    "Enrolment",
    "Envelope",
    "ErasedRecord",
    "KeyGrant",
    "Membership",
    "Organisation",
    "PaperCounter",
    "PaperSerial",
    "PublishedFigures",
    "PublishedForm",
    "RateLimitCounter",
    "RecordHead",
    "RecoveryGrant",
    "RecoveryKey",
    "RefreshToken",
    "SyncState",
    "Team",
    "TeamKey",
    "TokenFamily",
    "User",
]
