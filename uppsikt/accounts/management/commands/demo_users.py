from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from uppsikt.accounts.access import forget
from uppsikt.accounts.actions import grant_role, revoke_role
from uppsikt.accounts.commandline import command_line_user
from uppsikt.accounts.models import Role, RoleAssignment
from uppsikt.organisations.models import Unit

DEMO_ORGANISATION = "0018"

# Demo logins for a local demo database only; printed by `make demo`.
# (username, name, password, role, unit slug); the admin is a superuser and has no role.
DEMO_USERS = (
    ("admin", "Administratör i demo", "uppsikt-demo-admin", None, None),
    (
        "administrator",
        "Administratör för regionstyrelsen i demo",
        "uppsikt-demo-administrator",
        Role.ADMINISTRATOR,
        "regionstyrelsen",
    ),
    ("planerare", "Planerare i demo", "uppsikt-demo-planerare", Role.PLANERARE, "regionstyrelsen"),
    ("rapportor", "Rapportör i demo", "uppsikt-demo-rapportor", Role.RAPPORTOR, "regionkansliet"),
    ("granskare", "Granskare i demo", "uppsikt-demo-granskare", Role.GRANSKARE, "regionstyrelsen"),
    ("lasare", "Läsare i demo", "uppsikt-demo-lasare", Role.LASARE, "regionfullmaktige"),
)


class Command(BaseCommand):
    help = "Skapar demoinloggningar (endast för demodatabasen) och skriver ut dem."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        units = {
            unit.slug: unit for unit in Unit.objects.filter(organisation__code=DEMO_ORGANISATION)
        }
        self.stdout.write("Demoinloggningar:")
        for username, full_name, password, role, slug in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = full_name
            user.is_staff = role is None
            user.is_superuser = role is None
            user.set_password(password)
            user.save()
            actor = command_line_user()
            wanted = (role, units[slug].pk) if role is not None and slug in units else None
            for other in RoleAssignment.objects.filter(user=user).select_related("unit"):
                if (other.role, other.unit_id) != wanted:
                    revoke_role(other, actor=actor)
            if role is not None:
                if slug not in units:
                    raise CommandError(
                        f"Demoenheten {slug} saknas: läs in demon först "
                        "(uppsikt load demo/region-orebro-lan.yaml)."
                    )
                grant_role(user, units[slug], role, actor=actor)  # audited; nothing if held
            forget(user)
            where = f"{Role(role).label} på {units[slug].name}" if role else "superanvändare"
            self.stdout.write(f"  användarnamn {username:14}  lösenord {password:28}  {where}")
