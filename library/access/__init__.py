"""Who may see what: the access rule, its mapping onto Wagtail's page privacy,
consent lapse, the network's roles and the admin's permission policies.

Above the models, below every surface: a surface asks `rules` (or, in the
admin, `admin_visibility`) and never decides access itself.
"""
