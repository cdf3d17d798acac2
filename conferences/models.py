"""Every model of the conferences app. Each is defined in its domain's package (cases, booking,
plans, record, challenges, CUSAB, questionnaires; notifications is its own app but its table is
this app's); Django finds them all through this module, and callers may import them from it."""

from conferences.booking.models import (  # noqa: F401
    ClosureDay,
    Conference,
    ConferenceChild,
    Invitation,
    Participant,
    PostponementReason,
    Venue,
)
from conferences.cases.episode_models import CinEpisode  # noqa: F401
from conferences.cases.models import (  # noqa: F401
    Agency,
    Child,
    Family,
    IroDetails,
    Locality,
    Professional,
    RecordAccess,
    Restrictable,
)
from conferences.challenges.models import Challenge, ChallengeReason, GoodPracticeNote  # noqa: F401
from conferences.cusab.models import CusabMeeting  # noqa: F401
from conferences.plans.models import (  # noqa: F401
    ChildProtectionPlan,
    CoreGroupMeeting,
    DateRange,
    PlanCategorySpan,
)
from conferences.questionnaires.models import FeedbackLink, FeedbackResponse  # noqa: F401
from conferences.record.models import (  # noqa: F401
    ChildDecision,
    ConferenceRecord,
    Dissent,
    PlanAction,
    RecordAmendment,
    RecordDraft,
    RecordRelease,
    ReleasedCopy,
    SafetyEntry,
    SafetyScore,
)
from notifications.models import Notification  # noqa: F401
