"""Media files and the work done on them: pure helpers (`media`), uploads,
background processing (transcoding, guide documents, named renditions) and the
accessibility flags a film takes from its video.
"""
