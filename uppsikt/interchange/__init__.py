"""Reading and writing Uppsikt's reviewable data file (format ``uppsikt/1``).

See ``docs/data-format.md``. ``load.load_file`` validates everything before it writes
anything; ``dump.dump_data`` writes what the database holds in the same format.
"""
