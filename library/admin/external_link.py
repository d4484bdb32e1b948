"""Wagtail's external link chooser, turning a pasted URL of the site into a page link, follows `access.admin_visibility`.

Given a URL of one of the site's live pages, Wagtail's `ExternalLinkView`
answers with a page link named by the page's *draft* title
(`matched_page.draft_title`, read directly: `page_guard`'s rule for
`get_admin_display_title` does not reach it), in the link it returns and in
the "convert to an internal link?" step. An editor pasting the URL of another
coordination's live page would read the title of its unpublished draft, and
the URL of another coordination's live internal film would be linked and
named.

`VisibleExternalLinkView`, mounted ahead of Wagtail's URL under its name
(`cms/urls.py`), lets Wagtail match the URL, then:

- for a page whose drafts the editor may see (`shows_drafts_of`), answers
  as Wagtail does;
- for a page the editor may not see at all (`may_see_page`), answers as for
  a URL matching no page: the external link as typed;
- otherwise names the page by its live title, in the link and in the
  confirmation step, which is rendered again with it.
"""

import json

from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views.chooser import ExternalLinkView
from wagtail.models import Page

from library.access import admin_visibility as visibility

CHOSEN_STEP = "external_link_chosen"
CONFIRM_STEP = "confirm_external_to_internal"
CONFIRM_TEMPLATE = "wagtailadmin/chooser/confirm_external_to_internal.html"


class VisibleExternalLinkView(ExternalLinkView):
    def post(self, request):
        response = super().post(request)
        data = json.loads(response.content)
        step = data.get("step")
        internal = (
            data.get("result") if step == CHOSEN_STEP else data.get("internal") if step == CONFIRM_STEP else None
        )
        if not internal or "id" not in internal:  # the form again, or an external link
            return response
        page = Page.objects.get(pk=internal["id"])
        if visibility.shows_drafts_of(request.user, page):
            return response
        if not visibility.may_see_page(request.user, page):
            return self.render_chosen_response(self.get_result_data())
        internal = {**internal, "adminTitle": page.title}  # the live title: URLs only match live pages
        if step == CHOSEN_STEP:
            return self.render_chosen_response(internal)
        return self.render_confirmation(page, data["external"], internal)

    def render_confirmation(self, page, external, internal):
        """Wagtail's confirmation step, naming the page by `internal["adminTitle"]`.

        Wagtail shows the page's own URL as it would write it: relative when
        the pasted URL was (it matches relative URLs on a single site only),
        absolute otherwise.
        """
        submitted_url = external["url"]
        if submitted_url.startswith("/"):
            internal_url = page.get_url_parts(request=self.request)[-1]
        else:
            internal_url = page.get_full_url(request=self.request)
        return render_modal_workflow(
            self.request,
            CONFIRM_TEMPLATE,
            None,
            {"submitted_url": submitted_url, "internal_url": internal_url, "page": internal["adminTitle"]},
            json_data={"step": CONFIRM_STEP, "external": external, "internal": internal},
        )
