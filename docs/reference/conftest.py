"""Keep pytest from importing the docs' griffe extension.

``griffe_attrs_init.py`` needs griffe, which the ``docs`` extra installs and the
``test`` extra does not; it has no doctests, and the docs build runs it.
"""

collect_ignore = ["griffe_attrs_init.py"]
