"""Quality evaluation against labelled data: pure functions the `lagebild eval` command prints."""
