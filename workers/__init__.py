"""lagebild: German news, cleaned, deduplicated and tagged on Kafka."""

__version__ = "0.1.0"
