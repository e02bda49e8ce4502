"""Writes about calendar feeds: open or replace a person's private feed address, or revoke it."""

from django.db import transaction

from .models import CalendarFeed, new_token


@transaction.atomic
def calendar_feed_renew(*, actor) -> CalendarFeed:
    """A new secret address for the actor's feed; the old one stops working at once."""
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=actor)
    if not _created:
        feed.token = new_token()
        feed.save()
    return feed


@transaction.atomic
def calendar_feed_revoke(*, actor) -> None:
    """The actor's feed address stops working; a calendar that subscribed to it gets nothing more."""
    CalendarFeed.objects.filter(user=actor).delete()
