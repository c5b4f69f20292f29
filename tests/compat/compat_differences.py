"""Deliberate differences from Evidently's legacy surface, with the reason (read by ``surface.py``).

Keys are glob patterns over ``module``, ``module:Name`` or ``module:Name.member`` (module paths without
``evidently.legacy.``); the first matching pattern gives the reason.
"""

DIFFERENT: dict[str, str] = {}
