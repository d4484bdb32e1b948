"""What operators read: one structured line per request, and optional error reports."""
