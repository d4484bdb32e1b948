"""How an item is shown: the API's schemas, the querysets that load an item with
everything it shows, its serialised form and its translations.

Shared by the API's detail answers and the listing read model, which stores
the same serialised form.
"""
