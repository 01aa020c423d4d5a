"""Files uploaded through the web: never held whole in memory, refused above the limit.

Django keeps an upload of up to ``FILE_UPLOAD_MAX_MEMORY_SIZE`` in memory and writes a
larger one to a temporary file. ``LimitedTemporaryFileUploadHandler`` (in
``FILE_UPLOAD_HANDLERS``) stops writing once the file passes ``Limits.upload_bytes`` but
keeps counting, so the disk holds no more than the limit and the file's ``size`` is the
size that was sent. ``UploadField`` then refuses it with a Swedish message naming both
sizes, before any importer sees it.
"""

from __future__ import annotations

from django import forms
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from .limits import InputRefused, check_size, limits


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.limit = limits().upload_bytes

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) <= self.limit:
            self.file.write(raw_data)
        # Past the limit the rest is dropped; file_complete still gets the size sent.


class UploadField(forms.FileField):
    """A file field that refuses a file above ``Limits.upload_bytes``."""

    def validate(self, value) -> None:
        super().validate(value)
        if value and getattr(value, "size", None) is not None:
            try:
                check_size(value.size)
            except InputRefused as refused:
                raise forms.ValidationError(refused.message, code=refused.code) from refused
