"""Sink: route enriched records to one topic per news topic."""
