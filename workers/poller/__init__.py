"""Poller: feeds to news.raw, remembering in Kafka what it published."""
