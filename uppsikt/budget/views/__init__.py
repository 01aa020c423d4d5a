"""Budget pages. Thin: they read input with the forms and call the actions."""
