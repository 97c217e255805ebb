"""The `lagebild` command line."""
