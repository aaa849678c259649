"""One-time links written before secret_context existed: gone from rows already sent or
failed, moved into secret_context for rows still waiting, so they too are dropped once sent."""

from django.db import migrations
from django.db.models import Q

# The context keys that ever held a link working without a password (password reset,
# address confirmation, newsletter confirmation and unsubscribe, check-in answers).
SECRET_KEYS = ("activate_url", "password_reset_url", "confirm_url", "unsubscribe_url", "links")
UNSUBSCRIBE_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post")
DONE = ("sent", "failed")
BATCH = 1000


def move_links(apps, schema_editor):
    OutboxMessage = apps.get_model("messaging", "OutboxMessage")
    holding = Q()
    for key in SECRET_KEYS:
        holding |= Q(context__has_key=key)
    holding |= Q(headers__has_key="List-Unsubscribe")
    for messages in _batches(OutboxMessage.objects.filter(holding)):
        for message in messages:
            secrets = {key: message.context.pop(key) for key in SECRET_KEYS if key in message.context}
            for header in UNSUBSCRIBE_HEADERS:
                message.headers.pop(header, None)
            message.secret_context = {} if message.state in DONE else secrets
            message.has_secrets = True
        _save(OutboxMessage, messages)


def restore_waiting_links(apps, schema_editor):
    """Links of waiting rows go back into the context; links already dropped stay dropped."""
    OutboxMessage = apps.get_model("messaging", "OutboxMessage")
    for messages in _batches(OutboxMessage.objects.filter(has_secrets=True)):
        for message in messages:
            message.context = {**message.context, **message.secret_context}
            url = message.secret_context.get("unsubscribe_url")
            if url:
                message.headers = {
                    **message.headers,
                    "List-Unsubscribe": f"<{url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                }
            message.secret_context = {}
        _save(OutboxMessage, messages)


def _batches(queryset):
    """Ids first: rows are rewritten while we go, which an open cursor should not see."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        yield list(queryset.model.objects.filter(pk__in=ids[start : start + BATCH]))


def _save(model, messages):
    model.objects.bulk_update(messages, ["context", "headers", "secret_context", "has_secrets"])


class Migration(migrations.Migration):
    dependencies = [("messaging", "0005_add_secret_context_to_outbox")]

    operations = [migrations.RunPython(move_links, restore_waiting_links)]
