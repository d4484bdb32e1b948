"""Wagtail's page permission rules, answered from the row for a page without children.

Films and guides never have children (`subpage_types = []`). For such a
page, Wagtail's delete check still asks the database whether any page of
its subtree is live (or owned by someone else): one query per call, made
for each row of a listing, by each button that asks. Without children the
subtree is the page itself, so the same rule is answered from the page's
own `live` and `owner_id`. Every other check, and any page that does have
children, is Wagtail's.
"""

from wagtail.models import PagePermissionTester


class LeafPagePermissionTester(PagePermissionTester):
    def can_delete(self, ignore_bulk=False):
        page = self.page
        if page.numchild or not self.user.is_active or self.page_is_root or self.user.is_superuser:
            return super().can_delete(ignore_bulk=ignore_bulk)
        if "change" in self.permissions:
            # Without publish permission, a live page is not deleted.
            return "publish" in self.permissions or not page.live
        if "add" in self.permissions:
            # Only pages of one's own; without publish permission, only drafts.
            own = page.owner_id == self.user.pk
            return own if "publish" in self.permissions else own and not page.live
        return False
