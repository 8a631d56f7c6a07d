from django.db import migrations


class Migration(migrations.Migration):
    """Joins two changes made side by side: withdrawn deadlines and invitations in the outbox."""

    dependencies = [
        ("deadlines", "0003_deadline_withdrawn_at"),
        ("deadlines", "0003_notification_invitation_outbox"),
    ]

    operations = []
