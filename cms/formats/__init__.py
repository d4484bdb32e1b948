"""Date formats that follow the admin's date picker in every admin language.

The admin's picker writes dates day first (`WAGTAIL_DATE_FORMAT`, 15/11/2031),
as the network writes them. French, Spanish and Italian read that form
already; English would read 03/04/2031 as the 4th of March and German would
refuse it, so these modules add it to their input formats (ISO dates stay
accepted everywhere) and write short dates the same way.
"""
