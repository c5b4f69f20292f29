"""Helpers the test modules share across folders (``tests/support``).

Imported as ``tests.support.<module>``.
"""
