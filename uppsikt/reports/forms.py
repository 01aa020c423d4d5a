from django import forms
from django.utils.translation import gettext_lazy as _

from uppsikt.lib.uploads import UploadField


class TemplateForm(forms.Form):
    file = UploadField(
        label=_("Word-mall (.docx)"),
        help_text=_(
            "Mallen behöver formatmallarna Normal, Title, Subtitle, Heading 1–5, Caption och "
            "List Bullet. Sidhuvud och sidfot får innehålla «organisation», «rapport», «enhet», "
            "«period» och «sammanställd»."
        ),
    )
