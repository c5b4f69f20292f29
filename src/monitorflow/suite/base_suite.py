"""Evidently's ``suite.base_suite`` path: ``Snapshot`` (a re-export of :mod:`monitorflow.snapshot`).

``USE_UJSON`` is accepted for Evidently code that sets it to speed up ``save``; monitorflow's
snapshots are written with the standard ``json`` module whatever its value.
"""

from monitorflow.snapshot import Snapshot

#: Evidently's switch to write snapshots with ujson; accepted and ignored.
USE_UJSON = False

__all__ = ["USE_UJSON", "Snapshot"]
