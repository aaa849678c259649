from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations


def user_id_of(data):
    try:
        return int(data.get("_auth_user_id"))
    except (TypeError, ValueError):
        return None


def forward(apps, schema_editor):
    """Nobody is signed out by the change: each session moves over, naming its account."""
    Session = apps.get_model("sessions", "Session")
    AccountSession = apps.get_model("accounts", "AccountSession")
    decoder = SessionStore()  # the salt of the engine that wrote the rows
    AccountSession.objects.bulk_create(
        [
            AccountSession(
                session_key=session.session_key,
                session_data=session.session_data,
                expire_date=session.expire_date,
                user_id=user_id_of(decoder.decode(session.session_data)),
            )
            for session in Session.objects.iterator()
        ],
        batch_size=1000,
    )
    Session.objects.all().delete()


def backward(apps, schema_editor):
    Session = apps.get_model("sessions", "Session")
    AccountSession = apps.get_model("accounts", "AccountSession")
    Session.objects.bulk_create(
        [
            Session(
                session_key=session.session_key,
                session_data=session.session_data,
                expire_date=session.expire_date,
            )
            for session in AccountSession.objects.iterator()
        ],
        batch_size=1000,
    )
    AccountSession.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_add_account_session"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
