"""Django's admin app, with a site that audits every registered model (``admin_site.py``).

Listed in INSTALLED_APPS instead of ``django.contrib.admin``.
"""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "uppsikt.audit.admin_site.AuditedAdminSite"
