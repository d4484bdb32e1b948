"""The national approval step of the network's workflow."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from wagtail.models import AbstractGroupApprovalTask

from library.models.publishing import film_publish_problem, latest_version


class NationalApprovalTask(AbstractGroupApprovalTask):
    """Group approval that will not approve a film whose video is not ready yet.

    Approving publishes, so the rule of the admin's publish button must hold
    here too: the approve actions are withheld (and refused if posted) until
    processing has finished.
    """

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if film_publish_problem(latest_version(obj)):
            return [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            problem = film_publish_problem(latest_version(task_state.workflow_state.content_object))
            if problem:
                raise PermissionDenied(problem)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve; a film is approved only once its video is ready")

    class Meta:
        verbose_name = _("national approval task")
        verbose_name_plural = _("national approval tasks")
