"""Tag stage: entities linked to a knowledge base, and topics from a taxonomy."""
