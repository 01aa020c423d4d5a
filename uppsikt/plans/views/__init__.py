"""The plan and goal pages (``pages``) and a plan's versions: revise, decide, compare."""
