from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from uppsikt.public.demo import load_demo_key_figures


class Command(BaseCommand):
    help = (
        "Lägger in Region Blekinges nyckeltal (En dag hos oss) på den publika webbplatsen, "
        "som regionens egen sida anger dem. Finns det redan nyckeltal ändras inget."
    )

    def handle(self, *args, **options):
        count = load_demo_key_figures()
        self.stdout.write(self.style.SUCCESS(_("Nyckeltal inlästa: %(count)d.") % {"count": count}))
