"""The package version, read by the build backend and by ``medusa_payload.__version__``."""

__version__ = "0.1.0"
