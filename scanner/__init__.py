"""os2scan: licence and ownership compliance for OS2's open-source portfolio."""

__version__ = "0.1.0"
