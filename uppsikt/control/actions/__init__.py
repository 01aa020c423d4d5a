"""Every change to internal control: plans, risks and åtgärder (``plans``), the risk scale
(``scale``), the year's follow-up with avvikelser and ISK-bedömningar (``followup``). Each
action checks rights, validates, and records itself in the audit trail in the same
transaction."""
