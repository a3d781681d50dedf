"""bridge: move AI initiatives from pilot purgatory into production infrastructure.

Importing the package imports no Textual and no SQLite layer, so the CLI starts fast
and the pure modules stay pure.
"""

__version__ = "0.1.0"
