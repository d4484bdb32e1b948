"""Uploads of video masters from the admin: straight to S3, or in chunks to local disk.

On S3 the browser sends the file's parts directly to the bucket with
presigned URLs (the bytes never cross Django); on local disk it sends
chunks to Django, which appends them to a file in constant memory. Either
way the upload ends with `finalize`, which checks the stored object (size,
signature, a probe of the container) before any `Video` row exists.
"""
