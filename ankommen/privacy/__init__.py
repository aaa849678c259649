"""GDPR rights over one person across every app: see registry.py."""
