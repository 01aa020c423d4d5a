"""The steps that load the demo, in order: each is an `uppsikt` command with its arguments.

`make demo` runs them through `uppsikt load_demo`, in one process (each command on its own
starts Django anew, which was a third of the demo's set-up time); tests and benchmarks read
this list to load the demo exactly as `make demo` does.
"""

DEMO_STEPS: list[tuple[str, ...]] = [
    ("load", "demo/region-orebro-lan.yaml"),
    ("demo_indicators",),
    ("load_budget", "demo/budget-2023.yaml"),
    ("load_control", "demo/internkontroll-2023.yaml"),
    ("demo_control",),
    # The budget, follow-up and planning demos act as these users.
    ("demo_users",),
    ("demo_budget",),
    ("demo_followup",),
    # The granskare returns Regionkansliet's delårsrapport with a comment.
    ("demo_review",),
    # The 2024 planning under way (example drafts).
    ("demo_planning",),
    # The 2023 årshjul (example milestones) and an earlier unit deadline.
    ("demo_schedule",),
    # The example kommun (Kumla), set up through the onboarding actions.
    ("demo_kommun",),
    # Region Blekinge's "En dag hos oss" key figures on its public site.
    ("demo_key_figures",),
    # The installation's accessibility statement, with labelled example contact data.
    ("demo_accessibility",),
]
# Steps whose printout is left out of `load_demo`'s (the demo's logins are printed at the end
# of `make demo` anyway).
QUIET = {"demo_users"}
