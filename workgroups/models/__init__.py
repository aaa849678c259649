from workgroups.models.groups import Meeting, Membership, Task, TaskSignup, WorkingGroup
from workgroups.models.network import (
    EventResponse,
    MediatorRequest,
    NetworkEvent,
    Offer,
    Partner,
    PartnerNeed,
    Referral,
)

__all__ = [
    "EventResponse",
    "MediatorRequest",
    "Meeting",
    "Membership",
    "NetworkEvent",
    "Offer",
    "Partner",
    "PartnerNeed",
    "Referral",
    "Task",
    "TaskSignup",
    "WorkingGroup",
]
