"""Outgoing text messages: the organisation's SMS gateway, reached through a signed webhook
(docs/crisis-sms-gateway.md)."""
