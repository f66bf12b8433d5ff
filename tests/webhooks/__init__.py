"""Tests of ``medusa_payload.webhooks``."""
