"""Delivery: the outbox and mail, the daily digest, alerts and the quarterly report."""
