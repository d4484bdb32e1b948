"""The library's foundation: tiers, groups, storage, signed URLs and signal declarations.

Nothing here imports another part of the library: every layer above may use
it, and it knows none of them.
"""
