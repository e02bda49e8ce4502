"""Each person chooses the kinds of e-mail they receive."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import UpdateView

from .forms import EmailPreferenceForm
from .models import EmailPreference


class EmailPreferenceUpdateView(LoginRequiredMixin, UpdateView):
    form_class = EmailPreferenceForm
    template_name = "reminders/emailpreference_form.html"
    success_url = reverse_lazy("reminders:preferences")

    def get_object(self, queryset=None):
        # Read, not created, on GET: a row appears only when the person saves a choice.
        user = self.request.user
        return EmailPreference.objects.filter(user=user).first() or EmailPreference(user=user)

    def form_valid(self, form):
        messages.success(self.request, _("Đã lưu lựa chọn nhận thư."))
        return super().form_valid(form)
