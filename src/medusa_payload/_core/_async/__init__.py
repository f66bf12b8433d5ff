"""Async source of the HTTP shell; ``../_sync`` is generated from it by ``scripts/gen_sync.py``."""
