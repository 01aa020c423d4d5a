"""Reading and writing Uppsikt's reviewable data file (format ``uppsikt/1``).

See ``docs/data-format.md``. ``load_file`` validates everything before it writes anything;
``dump_data`` writes what the database holds in the same format.
"""

from .dump import dump_data, dump_yaml
from .load import LoadError, load_data, load_file

__all__ = ["LoadError", "dump_data", "dump_yaml", "load_data", "load_file"]
