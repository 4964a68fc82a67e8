"""Configuration for carshare: defaults per environment, overridden by ``CARSHARE_*`` variables."""

from config.loader import ConfigError, load_config

__all__ = ["ConfigError", "load_config"]
