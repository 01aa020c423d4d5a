"""Every change to a plan: its content (``content``) and its versions: deciding and revising
(``versions``). Each action checks rights, validates, and records itself in the audit trail
in the same transaction."""
