"""Signed webhooks: front ends learn about publishes, unpublishes, deletions and tier changes."""
