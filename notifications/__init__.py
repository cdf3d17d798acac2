"""Notifications: the outbox every app writes to, the email providers that deliver it, and
its log."""
