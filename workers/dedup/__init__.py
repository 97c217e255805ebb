"""Dedup stage: exact (URL, text) and near duplicates."""
