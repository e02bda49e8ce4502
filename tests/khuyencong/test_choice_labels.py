"""A choice field's label (`get_status_display()`) is Django's, in the language of the moment, read from a
table made once per field (khuyencong.choice_labels)."""

import pytest
from django.db import models
from django.utils import translation

from jobs.models import Job
from projects.models import Project, ProjectStatus, ProjectTransition, WorkflowAction


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_status_shows_djangos_label_in_the_language_of_the_moment(language):
    with translation.override(language):
        for value, label in ProjectStatus.choices:
            project = Project(status=value)
            assert project.get_status_display() == str(label)
            assert models.Model._get_FIELD_display(project, Project._meta.get_field("status")) == str(label)
        transition = ProjectTransition(
            action=WorkflowAction.SUBMIT, from_status="draft", to_status="submitted"
        )
        assert transition.get_action_display() == str(WorkflowAction.SUBMIT.label)
        assert Job(status=Job.Status.FAILED).get_status_display() == str(Job.Status.FAILED.label)


def test_the_labels_follow_the_language():
    project = Project(status=ProjectStatus.DRAFT)
    with translation.override("vi"):
        vietnamese = project.get_status_display()
    with translation.override("en"):
        english = project.get_status_display()
    assert vietnamese != english


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert Project(status="khac").get_status_display() == "khac"
    assert Project(status=None).get_status_display() is None
