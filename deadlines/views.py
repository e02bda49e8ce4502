"""A person's deadlines: the calendar page, and the iCalendar feed a phone calendar subscribes to."""

from __future__ import annotations

import datetime
from itertools import groupby

import icalendar
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import has_role

from .models import CalendarFeed
from .selectors import DEADLINE_ROLES, deadlines_for
from .services import calendar_feed_renew, calendar_feed_revoke

PAST_DAYS = 14
AHEAD_DAYS = 180


class CalendarView(LoginRequiredMixin, View):
    def get(self, request):
        today = timezone.localdate()
        items = deadlines_for(
            request.user,
            today - datetime.timedelta(days=PAST_DAYS),
            today + datetime.timedelta(days=AHEAD_DAYS),
        )
        months = [
            (key, list(group)) for key, group in groupby(items, key=lambda d: (d.day.year, d.day.month))
        ]
        feed = CalendarFeed.objects.filter(user=request.user).first()
        may_subscribe = has_role(request.user, *DEADLINE_ROLES)
        feed_url = (
            request.build_absolute_uri(reverse("deadlines:feed", kwargs={"token": feed.token}))
            if feed
            else None
        )
        return render(
            request,
            "deadlines/calendar.html",
            {
                "months": months,
                "today": today,
                "feed": feed,
                "feed_url": feed_url,
                "may_subscribe": may_subscribe,
            },
        )

    def post(self, request):
        if not has_role(request.user, *DEADLINE_ROLES):
            raise PermissionDenied
        if request.POST.get("action") == "revoke":
            calendar_feed_revoke(actor=request.user)
            messages.success(
                request, _("Đã thu hồi địa chỉ lịch; lịch đã đăng ký theo địa chỉ cũ sẽ không nhận thêm.")
            )
        else:
            calendar_feed_renew(actor=request.user)
            messages.success(
                request, _("Đã tạo địa chỉ lịch riêng; địa chỉ cũ (nếu có) không còn dùng được.")
            )
        return redirect("deadlines:calendar")


def feed(request, token: str) -> HttpResponse:
    """The feed itself: no login (a phone calendar cannot log in); the secret token is the key."""
    subscription = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if subscription is None or not subscription.user.is_active:
        raise Http404
    CalendarFeed.objects.filter(pk=subscription.pk).update(last_read_at=timezone.now())
    today = timezone.localdate()
    items = deadlines_for(
        subscription.user, today - datetime.timedelta(days=60), today + datetime.timedelta(days=400)
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Khuyen cong//Lich han cong viec//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Hạn công việc khuyến công"))
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = timezone.now()
    host = request.get_host().split(":")[0]
    for item in items:
        event = icalendar.Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + datetime.timedelta(days=1))
        event.add("summary", item.title)
        event.add("url", request.build_absolute_uri(item.url))
        event.add("categories", [item.kind])
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.title)
        alarm.add("trigger", datetime.timedelta(days=-3))
        event.add_component(alarm)
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="han-cong-viec.ics"'
    return response
