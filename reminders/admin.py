from django.contrib import admin

from .models import EmailPreference, ReminderSent


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "reminders", "workflow")


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ("user", "item", "day", "sent_at")
    list_filter = ("day",)
