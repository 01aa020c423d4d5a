from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from uppsikt.accounts.access import forget
from uppsikt.accounts.actions import grant_role, revoke_role
from uppsikt.accounts.commandline import command_line_user
from uppsikt.accounts.models import Role, RoleAssignment
from uppsikt.accounts.second_factor import enrol_with_secret
from uppsikt.accounts.totp import grouped
from uppsikt.organisations.models import Unit

DEMO_ORGANISATION = "0018"
# The administrator holds the role on every root unit: periods are closed and reopened for
# the whole organisation, which needs ADMIN on all of its roots (periods.rules).
ROOTS = "*"

# Demo logins for a local demo database only; printed by `make demo`.
# (username, name, password, role, unit slug); the admin is a superuser and has no role.
DEMO_MAIL_DOMAIN = "demo.uppsikt.invalid"
DEMO_USERS = (
    ("admin", "Administratör i demo", "uppsikt-demo-admin", None, None),
    (
        "administrator",
        "Administratör för regionen i demo",
        "uppsikt-demo-administrator",
        Role.ADMINISTRATOR,
        ROOTS,
    ),
    ("planerare", "Planerare i demo", "uppsikt-demo-planerare", Role.PLANERARE, "regionstyrelsen"),
    ("rapportor", "Rapportör i demo", "uppsikt-demo-rapportor", Role.RAPPORTOR, "regionkansliet"),
    ("granskare", "Granskare i demo", "uppsikt-demo-granskare", Role.GRANSKARE, "regionstyrelsen"),
    ("lasare", "Läsare i demo", "uppsikt-demo-lasare", Role.LASARE, "regionfullmaktige"),
)
# Administrators sign in with a second factor (UPPSIKT_TOTP_REQUIRED_FOR=admin): the demo's
# are enrolled with this published secret, so anyone trying the demo can add it to an
# authenticator app or ask `uppsikt totp_code USERNAME` for the current code. That command
# answers only for accounts enrolled with this very secret.
DEMO_TOTP_SECRET = "OVYHA43JNN2C2ZDFNVXS25DPORYCCIJB"  # noqa: S105 - published on purpose


class Command(BaseCommand):
    help = "Skapar demoinloggningar (endast för demodatabasen) och skriver ut dem."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        units = {
            unit.slug: unit for unit in Unit.objects.filter(organisation__code=DEMO_ORGANISATION)
        }
        self.stdout.write("Demoinloggningar:")
        for username, full_name, password, role, slug in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = full_name
            # A reserved domain (RFC 2606): reminders to the demo users go nowhere real; the
            # demo writes mail as files under var/mail/ unless UPPSIKT_EMAIL_HOST is set.
            user.email = f"{username}@{DEMO_MAIL_DOMAIN}"
            user.is_staff = role is None
            user.is_superuser = role is None
            user.set_password(password)
            user.save()
            actor = command_line_user()
            slugs = [slug] if slug else []
            if slug == ROOTS:
                slugs = [s for s, unit in units.items() if unit.parent_id is None]
            wanted = (
                {(role, units[s].pk) for s in slugs if s in units} if role is not None else set()
            )
            for other in RoleAssignment.objects.filter(user=user).select_related("unit"):
                if (other.role, other.unit_id) not in wanted:
                    revoke_role(other, actor=actor)
            if role is not None:
                if not slugs or any(s not in units for s in slugs):
                    raise CommandError(
                        f"Demoenheten {slug} saknas: läs in demon först "
                        "(uppsikt load demo/region-orebro-lan.yaml)."
                    )
                for each in slugs:
                    grant_role(user, units[each], role, actor=actor)  # audited; nothing if held
            if role in (None, Role.ADMINISTRATOR):
                enrol_with_secret(user, DEMO_TOTP_SECRET, actor=actor)  # audited; nothing if so
            forget(user)
            where = (
                f"{Role(role).label} på " + ", ".join(units[s].name for s in slugs)
                if role
                else "superanvändare"
            )
            self.stdout.write(f"  användarnamn {username:14}  lösenord {password:28}  {where}")
        self.stdout.write(
            "Administratörerna (admin, administrator) loggar in med tvåstegsverifiering.\n"
            f"  Nyckel för autentiseringsappen: {grouped(DEMO_TOTP_SECRET)}\n"
            "  Eller hämta den aktuella koden: .venv/bin/uppsikt totp_code admin"
        )
