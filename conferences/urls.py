from django.urls import path

from conferences.booking import tray_views
from conferences.booking import views as booking_views
from conferences.cases import episode_views, reference_views
from conferences.cases import views as child_views
from conferences.challenges import views as challenge_views
from conferences.cusab import views as cusab_views
from conferences.plans import views as plan_views
from conferences.questionnaires import views as questionnaire_views
from conferences.record import views as record_views
from notifications import views as notification_views

app_name = "conferences"

urlpatterns = [
    path("children/", child_views.child_search, name="child_search"),
    path("children/<int:child_id>/", child_views.child_detail, name="child_detail"),
    path("children/<int:child_id>/edit/", child_views.child_edit, name="child_edit"),
    path("children/<int:child_id>/birth/", child_views.child_birth, name="child_birth"),
    path(
        "children/<int:child_id>/access-log/",
        child_views.child_access_log,
        name="child_access_log",
    ),
    path("families/add/", child_views.family_add, name="family_add"),
    path("families/<int:family_id>/", child_views.family_detail, name="family_detail"),
    path("families/<int:family_id>/children/add/", child_views.child_add, name="child_add"),
    path("families/<int:family_id>/book/", booking_views.book, name="book"),
    path(
        "conferences/<int:conference_id>/",
        booking_views.conference_detail,
        name="conference_detail",
    ),
    path(
        "conferences/<int:conference_id>/invitations-sent/",
        booking_views.invitations_sent,
        name="invitations_sent",
    ),
    path(
        "conferences/<int:conference_id>/report-receipt/",
        booking_views.report_receipt,
        name="report_receipt",
    ),
    path(
        "conferences/<int:conference_id>/attendance/",
        booking_views.attendance,
        name="attendance",
    ),
    path("conferences/<int:conference_id>/postpone/", booking_views.postpone, name="postpone"),
    path(
        "conferences/<int:conference_id>/feedback/kiosk/",
        questionnaire_views.feedback_kiosk,
        name="feedback_kiosk",
    ),
    path(
        "conferences/<int:conference_id>/feedback/agencies/",
        questionnaire_views.feedback_agencies,
        name="feedback_agencies",
    ),
    path("conferences/<int:conference_id>/record/", record_views.record_edit, name="record_edit"),
    path(
        "conferences/<int:conference_id>/record/start/",
        record_views.record_start,
        name="record_start",
    ),
    path(
        "conferences/<int:conference_id>/record/autosave/",
        record_views.record_autosave,
        name="record_autosave",
    ),
    path(
        "conferences/<int:conference_id>/record/finalise/",
        record_views.record_finalise,
        name="record_finalise",
    ),
    path(
        "conferences/<int:conference_id>/record/view/", record_views.record_view, name="record_view"
    ),
    path(
        "conferences/<int:conference_id>/record/releases/",
        record_views.record_release,
        name="record_release",
    ),
    path(
        "conferences/<int:conference_id>/record/releases/<int:release_id>/pdf/",
        record_views.release_pdf,
        name="release_pdf",
    ),
    path(
        "conferences/<int:conference_id>/record/letter/",
        record_views.decision_letter,
        name="decision_letter",
    ),
    path(
        "conferences/<int:conference_id>/record/distribution/",
        record_views.record_distribution,
        name="record_distribution",
    ),
    path("conferences/<int:conference_id>/projector/", record_views.projector, name="projector"),
    path(
        "conferences/<int:conference_id>/projector/data/",
        record_views.projector_data,
        name="projector_data",
    ),
    path("children/<int:child_id>/core-groups/", plan_views.core_groups, name="core_groups"),
    path("children/<int:child_id>/transfer-out/", plan_views.transfer_out, name="transfer_out"),
    path("notifications/", notification_views.notification_log, name="notification_log"),
    path(
        "notifications/<int:notification_id>/resend/",
        notification_views.notification_resend,
        name="notification_resend",
    ),
    path("challenges/", challenge_views.challenge_tray, name="challenge_tray"),
    path("challenges/raise/", challenge_views.challenge_raise, name="challenge_raise"),
    path(
        "challenges/<int:challenge_id>/",
        challenge_views.challenge_detail,
        name="challenge_detail",
    ),
    path(
        "challenges/<int:challenge_id>/respond/",
        challenge_views.challenge_respond,
        name="challenge_respond",
    ),
    path(
        "challenges/<int:challenge_id>/escalate/",
        challenge_views.challenge_escalate,
        name="challenge_escalate",
    ),
    path("children/<int:child_id>/cusab/", cusab_views.cusab_add, name="cusab_add"),
    path("cusab/", cusab_views.cusab_list, name="cusab_list"),
    path("children/<int:child_id>/referrals/", episode_views.episode_add, name="episode_add"),
    path("referrals/<int:episode_id>/", episode_views.episode_edit, name="episode_edit"),
    path("cusab/<int:meeting_id>/", cusab_views.cusab_edit, name="cusab_edit"),
    path("good-practice/", challenge_views.good_practice, name="good_practice"),
    path("clerk/", tray_views.clerk_tray, name="clerk_tray"),
    path("my-conferences/", tray_views.my_conferences, name="my_conferences"),
    path("week/", tray_views.chair_week, name="chair_week"),
    path("contacts/", reference_views.professional_list, name="professional_list"),
    path("contacts/add/", reference_views.professional_edit, name="professional_add"),
    path(
        "contacts/<int:professional_id>/",
        reference_views.professional_edit,
        name="professional_edit",
    ),
    path("lists/", reference_views.reference_index, name="reference_lists"),
    path("lists/<slug:kind>/", reference_views.reference_list, name="reference_list"),
]
