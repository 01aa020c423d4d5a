from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

# Demo logins for a local demo database only; printed by `make demo`.
DEMO_USERS = (
    ("planerare", "Planerare i demo", "uppsikt-demo-planerare", False),
    ("admin", "Administratör i demo", "uppsikt-demo-admin", True),
)


class Command(BaseCommand):
    help = "Skapar demoinloggningar (endast för demodatabasen) och skriver ut dem."

    def handle(self, *args, **options):
        User = get_user_model()
        self.stdout.write("Demoinloggningar:")
        for username, full_name, password, superuser in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = full_name
            user.is_staff = True
            user.is_superuser = superuser
            user.set_password(password)
            user.save()
            self.stdout.write(f"  användarnamn {username:10}  lösenord {password}")
