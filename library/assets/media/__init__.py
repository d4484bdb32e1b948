"""Pure media helpers: no models, no requests, no storage.

Each module takes paths or file objects and returns plain values, so the
upload views, the background tasks, the demo content and the tests share one
implementation of every check: file signatures (`sniff`), safe names
(`names`), video probing and transcoding with PyAV (`probe`, `transcode`),
text tracks (`tracks`), PDFs with pypdfium2 (`pdf`) and generated test media
(`generate`). Every refusal is a `MediaError` whose message can be shown to
an editor as is.
"""
