"""The live dashboard: the terminal topics read with a plain consumer, shown in a browser.

It reads news.enriched, news.duplicates and news.rejected itself (every
partition, no consumer group), so one dashboard shows the whole stream however
many workers share it. `state` is the pure part, `server` the shell.
"""
