"""Questionnaire links are made as their email is sent; none is kept in a stored body.

Bodies written before this held a working link in plain text, and their history rows still do
(history is append-only). So each such link is given a new seed and a hash nobody holds the token
for: the link in the old rows stops working, and a waiting or failed email is sent with a link
made from the new seed (feedback.emailed_link sets the hash as it sends).
"""

import hashlib
import re
import secrets

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

PLACEHOLDER = "[the link is added when this email is sent]"  # outbox.LINK_PLACEHOLDER today
PLAIN_LINK = re.compile(r"\S*/feedback/[\w-]+/")


def take_links_out_of_bodies(apps, schema_editor):
    Notification = apps.get_model("conferences", "Notification")
    FeedbackLink = apps.get_model("conferences", "FeedbackLink")
    emailed = Notification.objects.filter(kind="agency_questionnaire", feedback_link__isnull=True)
    for row in emailed:
        invitation_id = int(row.key.rsplit(":", 1)[1])
        link = FeedbackLink.objects.filter(invitation_id=invitation_id).first()
        if link is None:
            continue
        link.seed = secrets.token_urlsafe(32)
        link.token_hash = hashlib.sha256(secrets.token_bytes(32)).hexdigest()
        link.save(update_fields=["seed", "token_hash"])
        row.body = PLAIN_LINK.sub(PLACEHOLDER, row.body)
        row.feedback_link = link
        row.save(update_fields=["body", "feedback_link"])


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0009_safe_copies"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="feedbacklink",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="feedbacklink",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="feedbacklink",
            name="delete_delete",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="notification",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="notification",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="notification",
            name="delete_delete",
        ),
        migrations.AddField(
            model_name="feedbacklink",
            name="seed",
            field=models.CharField(
                blank=True,
                help_text="Emailed links only: useless without the server's secret key.",
                max_length=64,
            ),
        ),
        migrations.AddField(
            model_name="feedbacklinkevent",
            name="seed",
            field=models.CharField(
                blank=True,
                help_text="Emailed links only: useless without the server's secret key.",
                max_length=64,
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="feedback_link",
            field=models.ForeignKey(
                blank=True,
                help_text="The questionnaire whose link is put into the body as it is sent.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="conferences.feedbacklink",
            ),
        ),
        migrations.AddField(
            model_name="notificationevent",
            name="feedback_link",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The questionnaire whose link is put into the body as it is sent.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                related_query_name="+",
                to="conferences.feedbacklink",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="feedbacklink",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "conferences_feedbacklinkevent" ("conference_id", "created_at", "expires_at", "id", "invitation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "respondent", "seed", "token_hash", "used_at") VALUES (NEW."conference_id", NEW."created_at", NEW."expires_at", NEW."id", NEW."invitation_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."respondent", NEW."seed", NEW."token_hash", NEW."used_at"); RETURN NULL;',
                    hash="a98f5e6d21efb96363a36d88c9e941148e33ea0a",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_e50f4",
                    table="conferences_feedbacklink",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="feedbacklink",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "conferences_feedbacklinkevent" ("conference_id", "created_at", "expires_at", "id", "invitation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "respondent", "seed", "token_hash", "used_at") VALUES (NEW."conference_id", NEW."created_at", NEW."expires_at", NEW."id", NEW."invitation_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."respondent", NEW."seed", NEW."token_hash", NEW."used_at"); RETURN NULL;',
                    hash="ca60fa065e8333a839d5c7488637db10a25b1d7e",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_0332c",
                    table="conferences_feedbacklink",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="feedbacklink",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "conferences_feedbacklinkevent" ("conference_id", "created_at", "expires_at", "id", "invitation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "respondent", "seed", "token_hash", "used_at") VALUES (OLD."conference_id", OLD."created_at", OLD."expires_at", OLD."id", OLD."invitation_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."respondent", OLD."seed", OLD."token_hash", OLD."used_at"); RETURN NULL;',
                    hash="7648a8fbc27b32a45db4739bd8f08f6b20f103c1",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_fde0e",
                    table="conferences_feedbacklink",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="notification",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "conferences_notificationevent" ("attempts", "body", "child_id", "claimed_at", "conference_id", "created_at", "due_on", "feedback_link_id", "id", "key", "kind", "last_error", "message_id", "next_attempt_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "possible_duplicate", "provider_reference", "recipient_email", "recipient_name", "sent_at", "status", "subject") VALUES (NEW."attempts", NEW."body", NEW."child_id", NEW."claimed_at", NEW."conference_id", NEW."created_at", NEW."due_on", NEW."feedback_link_id", NEW."id", NEW."key", NEW."kind", NEW."last_error", NEW."message_id", NEW."next_attempt_at", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."possible_duplicate", NEW."provider_reference", NEW."recipient_email", NEW."recipient_name", NEW."sent_at", NEW."status", NEW."subject"); RETURN NULL;',
                    hash="0d15c4d482225e54e2f3e8d2a5c6ec1c4b1a9154",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_f0fa6",
                    table="conferences_notification",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="notification",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "conferences_notificationevent" ("attempts", "body", "child_id", "claimed_at", "conference_id", "created_at", "due_on", "feedback_link_id", "id", "key", "kind", "last_error", "message_id", "next_attempt_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "possible_duplicate", "provider_reference", "recipient_email", "recipient_name", "sent_at", "status", "subject") VALUES (NEW."attempts", NEW."body", NEW."child_id", NEW."claimed_at", NEW."conference_id", NEW."created_at", NEW."due_on", NEW."feedback_link_id", NEW."id", NEW."key", NEW."kind", NEW."last_error", NEW."message_id", NEW."next_attempt_at", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."possible_duplicate", NEW."provider_reference", NEW."recipient_email", NEW."recipient_name", NEW."sent_at", NEW."status", NEW."subject"); RETURN NULL;',
                    hash="283bc7d1d3f550f5bace72b4d2fa72e6b8303190",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_88633",
                    table="conferences_notification",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="notification",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "conferences_notificationevent" ("attempts", "body", "child_id", "claimed_at", "conference_id", "created_at", "due_on", "feedback_link_id", "id", "key", "kind", "last_error", "message_id", "next_attempt_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "possible_duplicate", "provider_reference", "recipient_email", "recipient_name", "sent_at", "status", "subject") VALUES (OLD."attempts", OLD."body", OLD."child_id", OLD."claimed_at", OLD."conference_id", OLD."created_at", OLD."due_on", OLD."feedback_link_id", OLD."id", OLD."key", OLD."kind", OLD."last_error", OLD."message_id", OLD."next_attempt_at", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."possible_duplicate", OLD."provider_reference", OLD."recipient_email", OLD."recipient_name", OLD."sent_at", OLD."status", OLD."subject"); RETURN NULL;',
                    hash="71bb499a9befbc8b908974c78a2b17e3a20a3586",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_67935",
                    table="conferences_notification",
                    when="AFTER",
                ),
            ),
        ),
        migrations.RunPython(take_links_out_of_bodies, migrations.RunPython.noop),
    ]
