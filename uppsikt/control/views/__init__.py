"""Pages of intern styrning och kontroll; thin views over ``queries`` and the actions."""
