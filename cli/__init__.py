"""The operator's command line: `python -m cli upgrade|revision|import|export`. See `python -m cli --help`."""
