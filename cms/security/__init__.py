"""Protections of the admin's accounts: POST-only logout, login lockout, password-reset throttling, client IP."""
