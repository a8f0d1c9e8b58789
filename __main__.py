"""``python -m htkg``: the same command line as ``htkg``."""
from htkg.cli import main

main(prog_name="htkg")
