"""curiosa: train language models to act well over many turns from data they generate themselves."""

__version__ = "0.1.0"
