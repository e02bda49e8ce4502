from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("label", "owner", "status", "attempts", "created_at", "finished_at")
    list_filter = ("status", "handler")
    search_fields = ("label", "subject", "task_result_id")
    readonly_fields = [f.name for f in Job._meta.fields]
