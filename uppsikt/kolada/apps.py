from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KoladaConfig(AppConfig):
    name = "uppsikt.kolada"
    label = "kolada"
    verbose_name = _("Kolada")
