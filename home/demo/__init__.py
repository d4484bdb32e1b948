"""Demo content: the site in French with English translations.

Everything is built through the ORM and the storage API (images are drawn at
run time), so the same command seeds local disk or an S3 bucket. Every step
looks its object up by a natural key first: running the command twice
changes nothing.
"""
