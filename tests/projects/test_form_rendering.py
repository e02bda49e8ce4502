"""The forms of the đề án page and of the list are written by the portal's form renderer exactly as Django's
templates write them (khuyencong/form_renderer.py)."""

from django.test import RequestFactory

from accounts.roles import Role
from projects.filters import ProjectFilter
from projects.forms.bulk import BulkStepForm, NoteForm
from projects.models import ProjectStatus
from projects.views import STEP_FORMS
from tests.khuyencong.test_form_renderer import both
from tests.projects.conftest import project_in


def test_the_forms_of_the_dean_page_are_written_the_same(world):
    rows = []
    for status in (ProjectStatus.APPRAISING, ProjectStatus.IN_PROGRESS, ProjectStatus.ACCEPTED):
        project = project_in(world.own.plan, status)
        for action, form_class in STEP_FORMS.items():
            user = world.user(Role.CENTRE)
            for data in (None, {f"{action}-comment": "<x>"}):

                def make(
                    renderer, form_class=form_class, action=action, data=data, project=project, user=user
                ):
                    return form_class(data, project=project, user=user, prefix=action, renderer=renderer)

                theirs, ours = both(make)
                assert ours == theirs, action
                rows.append(action)
    assert len(rows) == 3 * 2 * len(STEP_FORMS)


def test_the_list_forms_are_written_the_same(world):
    request = RequestFactory().get("/de-an/", {"q": "<đào tạo>", "year": "2025", "status": "draft"})
    request.user = world.user(Role.OFFICER)
    for data in (None, {"comment": "<x>", "action": "nope"}):
        theirs, ours = both(
            lambda renderer, data=data: BulkStepForm(data, actions=["submit"], renderer=renderer)
        )
        assert ours == theirs
        theirs, ours = both(lambda renderer, data=data: NoteForm(data, renderer=renderer))
        assert ours == theirs

    def filter_form(renderer):
        form = ProjectFilter(request.GET, queryset=None, request=request).form
        form.renderer = renderer
        return form

    theirs, ours = both(filter_form)
    assert ours == theirs
