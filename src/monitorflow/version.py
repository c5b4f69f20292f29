"""The package version, in a module that imports nothing (read by the build and by the service)."""

__version__ = "0.1.0"
