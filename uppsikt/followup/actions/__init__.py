"""Every change in the follow-up: entries (``entries``) and a unit's report for the period
(``reports``: submit, withdraw, approve, return, the summary). Each action checks rights,
validates, and records itself in the audit trail in the same transaction."""
