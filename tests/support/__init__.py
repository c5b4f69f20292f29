"""Helpers the test modules share across folders (``tests/support``): imported as ``tests.support.<module>``."""
