"""Every change to budget tables. Each action checks ``Perm.PLAN`` on the table's unit,
validates everything before writing, writes in one transaction and records it in the audit
trail in the same transaction. Views, the admin, commands and background jobs call these.

Raises ``PermissionDenied`` or ``ValidationError`` (Swedish messages) and then changes
nothing.
"""

from .figures import apply_import, import_lines, run_import_check, set_figure, stage_import
from .loading import create_tables
from .mapping import check_mapping_rule, delete_mapping_rule, save_mapping_rule
from .planning import create_next_year_draft, delete_draft, reallocate, settle_table

__all__ = [
    "apply_import",
    "check_mapping_rule",
    "create_next_year_draft",
    "create_tables",
    "delete_draft",
    "delete_mapping_rule",
    "import_lines",
    "reallocate",
    "run_import_check",
    "save_mapping_rule",
    "set_figure",
    "settle_table",
    "stage_import",
]
