"""The commands of the ``htkg`` command line, one module per family.

Each command parses its options, makes one library call and prints what it
returns; options that several commands share live in :mod:`.options`. The
group in :mod:`htkg.cli` registers every command explicitly.
"""
