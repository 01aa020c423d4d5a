"""The Django admin, made to write the audit trail and to respect decided plans.

Every ModelAdmin registered on the admin site is given ``AuditedAdminMixin``: additions,
changes (including inline rows and list edits) and deletions are recorded with before and
after, in the same transaction as the change. Apps may lock objects against edits here
(``register_lock``): plans lock a decided plan's content, which changes only through a
revision (``plans.actions.versions.revise_plan``).

A ModelAdmin whose writes already go through actions that record themselves (roles) sets
``audited_by_actions = True`` and is left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.base import ModelBase
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from uppsikt.lib.typing import acting_user

from .trail import model_snapshot, record

if TYPE_CHECKING:  # what the mixins are mixed into
    from django.contrib.admin.models import LogEntry

    _ModelAdmin = admin.ModelAdmin[Model]
    _ModelForm = ModelForm[Model]
else:
    _ModelAdmin = _ModelForm = object

_BEFORE = "_uppsikt_audit_before"
_DONE = "_uppsikt_audit_done"


def _key(obj: Model) -> tuple[str, str]:
    return (obj._meta.label_lower, str(obj.pk))


def _stash(request: HttpRequest) -> dict[tuple[str, str], dict[str, Any]]:
    if not hasattr(request, _BEFORE):
        setattr(request, _BEFORE, {})
    stash: dict[tuple[str, str], dict[str, Any]] = getattr(request, _BEFORE)
    return stash


@dataclass(frozen=True)
class EditLock:
    """How an app keeps some of its objects read-only in the admin: ``is_locked(obj)`` for
    a stored object, ``ensure_editable(obj)`` raising ``ValidationError`` for a form's
    instance (new or stored). Plans register one for decided plans."""

    is_locked: Callable[[Model], bool]
    ensure_editable: Callable[[Model], None]


_LOCKS: list[EditLock] = []


def register_lock(lock: EditLock) -> None:
    """Called from an app's ``ready()``."""
    if lock not in _LOCKS:
        _LOCKS.append(lock)


def _is_locked(obj: Model | None) -> bool:
    if obj is None or obj.pk is None:
        return False
    return any(lock.is_locked(obj) for lock in _LOCKS)


class LockedFormMixin(_ModelForm):
    """Refuses, with the locking app's Swedish message, to save a locked object."""

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # private in Django, absent from the stubs
        for lock in _LOCKS:
            try:
                lock.ensure_editable(self.instance)
            except ValidationError as error:
                self.add_error(None, error)
                return


class AuditedAdminMixin(_ModelAdmin):
    audited_by_actions = False

    # -- decided plans are read-only -------------------------------------------------
    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if _is_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if _is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[Model]]:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (LockedFormMixin, form), {})

    # -- before: read from the database before the form's values are saved ------------
    def save_model(
        self, request: HttpRequest, obj: Model, form: ModelForm[Model], change: bool
    ) -> None:
        if change and not self.audited_by_actions:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            if stored is not None:
                _stash(request)[_key(obj)] = model_snapshot(stored)
        super().save_model(request, obj, form, change)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Model],
        formset: BaseInlineFormSet[Model, Model, ModelForm[Model]],
        change: bool,
    ) -> None:
        if self.audited_by_actions:
            return super().save_formset(request, form, formset, change)
        model = formset.model
        existing = [f.instance.pk for f in formset.initial_forms if f.instance.pk is not None]
        before = {
            str(stored.pk): model_snapshot(stored)
            for stored in model._default_manager.filter(pk__in=existing)
        }
        for deleted in formset.deleted_forms:  # recorded first: a deleted row loses its pk
            if deleted.instance.pk is not None:
                record(
                    actor=acting_user(request),
                    action="admin.delete",
                    obj=deleted.instance,
                    before=before.get(str(deleted.instance.pk)),
                )
        result = super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record(
                actor=acting_user(request),
                action="admin.create",
                obj=obj,
                after=model_snapshot(obj),
            )
        for obj, _fields in formset.changed_objects:
            record(
                actor=acting_user(request),
                action="admin.update",
                obj=obj,
                before=before.get(str(obj.pk)),
                after=model_snapshot(obj),
            )
        return result

    # -- after: the admin logs every addition and change once it is complete ----------
    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> LogEntry:
        if not self.audited_by_actions:
            record(
                actor=acting_user(request),
                action="admin.create",
                obj=obj,
                after=model_snapshot(obj),
            )
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> LogEntry:
        if not self.audited_by_actions:
            before = _stash(request).pop(_key(obj), None)
            after = model_snapshot(obj)
            if before != after or before is None:
                record(
                    actor=acting_user(request),
                    action="admin.update",
                    obj=obj,
                    before=before,
                    after=after,
                    reason=_("Ändrat i administrationen: %(what)s") % {"what": _describe(message)},
                )
        return super().log_change(request, obj, message)

    # -- deletions: recorded in the same transaction as the delete --------------------
    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        if self.audited_by_actions:
            return super().delete_model(request, obj)
        with transaction.atomic():
            record(
                actor=acting_user(request),
                action="admin.delete",
                obj=obj,
                before=model_snapshot(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Model]) -> None:
        if self.audited_by_actions:
            return super().delete_queryset(request, queryset)
        with transaction.atomic():
            for obj in queryset:
                if _is_locked(obj):  # the admin refuses earlier; this is the last guard
                    raise PermissionDenied(_("Ett beslutat dokument kan inte ändras."))
                record(
                    actor=acting_user(request),
                    action="admin.delete",
                    obj=obj,
                    before=model_snapshot(obj),
                )
            super().delete_queryset(request, queryset)


def _describe(message: Any) -> str:
    if isinstance(message, list):
        return ", ".join(str(part) for part in message) or "-"
    return str(message) or "-"


def audited(admin_class: type[admin.ModelAdmin[Any]]) -> type[admin.ModelAdmin[Any]]:
    if issubclass(admin_class, AuditedAdminMixin):
        return admin_class
    return type(f"Audited{admin_class.__name__}", (AuditedAdminMixin, admin_class), {})


class AuditedAdminSite(admin.AdminSite):
    """The admin site: every model registered on it is audited (see the module docstring)."""

    site_header = "Uppsikt"
    site_title = "Uppsikt"

    def register(
        self,
        model_or_iterable: type[Model] | Iterable[type[Model]],
        admin_class: type[admin.ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        admin_class = admin_class or admin.ModelAdmin
        models: list[type[Model]]
        if isinstance(model_or_iterable, ModelBase):
            models = [model_or_iterable]
        else:
            models = list(model_or_iterable)
        for model in models:
            cls = admin_class if model._meta.label_lower in UNAUDITED else audited(admin_class)
            super().register(model, cls, **options)


# The trail itself is read-only in the admin; sessions and the job queue are not governed data.
UNAUDITED = frozenset({"audit.auditevent", "audit.chainhead"})
