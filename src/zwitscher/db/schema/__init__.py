"""The schema, in SQLAlchemy Core, portable between SQLite and PostgreSQL, one module per area.

Every table is registered on `base.metadata` when its module is imported, which this package
does for all of them; migrations in `db/migrations` are generated from it.
"""

from zwitscher.db.schema.analytics import (
    analytics_daily,
    analytics_events,
    analytics_hourly,
    analytics_open_mentions,
)
from zwitscher.db.schema.archives import archive_exports
from zwitscher.db.schema.base import UTCDateTime, metadata
from zwitscher.db.schema.crises import (
    contact_lists,
    contacts,
    crises,
    crisis_deliveries,
    crisis_recipients,
    crisis_templates,
    crisis_updates,
)
from zwitscher.db.schema.discovery import (
    announcement_reactions,
    announcement_reads,
    announcements,
    custom_emojis,
    endorsements,
    featured_tags,
    suggestion_dismissals,
    tag_follows,
)
from zwitscher.db.schema.events import (
    event_groups,
    event_held_posts,
    event_organisers,
    event_participants,
    event_posts,
    event_wall_hidden,
    events,
)
from zwitscher.db.schema.instance import instance_settings
from zwitscher.db.schema.jobs import jobs
from zwitscher.db.schema.legal_holds import legal_holds
from zwitscher.db.schema.link_cards import preview_cards, status_preview_cards
from zwitscher.db.schema.media import (
    media_attachments,
    poll_voters,
    poll_votes,
    polls,
    scheduled_statuses,
)
from zwitscher.db.schema.moderation import (
    domain_blocks,
    notification_permissions,
    notification_policies,
    notification_requests,
    reports,
)
from zwitscher.db.schema.monitors import (
    monitor_hourly_counts,
    monitor_index,
    monitor_mail_state,
    monitor_matches,
    monitor_spike_state,
    monitor_term_counts,
    monitors,
)
from zwitscher.db.schema.organisations import (
    account_quality,
    audit_log,
    brand_authors,
    brand_drafts,
    follow_events,
    group_members,
    group_tree,
    groups,
    status_groups,
)
from zwitscher.db.schema.people import (
    account_deletions,
    account_notes,
    accounts,
    blocks,
    follow_requests,
    follows,
    invites,
    mutes,
    oauth_apps,
    oauth_codes,
    oauth_tokens,
    user_tokens,
    users,
)
from zwitscher.db.schema.press_accreditation import (
    press_accreditation_groups,
    press_accreditations,
)
from zwitscher.db.schema.press_conferences import (
    press_conference_groups,
    press_conferences,
    press_question_votes,
    press_questions,
)
from zwitscher.db.schema.press_releases import (
    newsroom_subscribers,
    press_release_groups,
    press_releases,
)
from zwitscher.db.schema.push import push_subscriptions, server_keys
from zwitscher.db.schema.reading import (
    account_conversations,
    filter_keywords,
    filter_statuses,
    filters,
    list_accounts,
    lists,
    read_generations,
    status_conversations,
)
from zwitscher.db.schema.search import (
    SQLITE_STATUS_SEARCH,
    SQLITE_STATUS_SEARCH_TABLES,
    schema_comparison,
    status_search,
)
from zwitscher.db.schema.statuses import (
    bookmarks,
    favourites,
    home_feed,
    idempotency_keys,
    markers,
    mentions,
    notifications,
    pins,
    status_edits,
    status_tags,
    statuses,
    tags,
    thread_mutes,
)
from zwitscher.db.schema.stories import (
    stories,
    story_blocks,
    story_collaborators,
    story_saves,
)
from zwitscher.db.schema.web import (
    known_browsers,
    pending_sign_ins,
    recovery_codes,
    security_keys,
    sign_in_attempts,
    user_identities,
    web_sessions,
    webauthn_challenges,
)

__all__ = [
    "analytics_daily", "analytics_events", "analytics_hourly", "analytics_open_mentions",
    "event_groups", "event_held_posts", "event_organisers", "event_participants",
    "event_posts", "event_wall_hidden", "events",
    "contact_lists", "contacts", "crises", "crisis_deliveries", "crisis_recipients",
    "crisis_templates", "crisis_updates",
    "SQLITE_STATUS_SEARCH", "SQLITE_STATUS_SEARCH_TABLES", "UTCDateTime",
    "account_conversations", "account_deletions", "account_notes", "account_quality",
    "accounts", "archive_exports",
    "announcement_reactions",
    "announcement_reads", "announcements", "audit_log", "blocks", "bookmarks", "brand_authors",
    "brand_drafts", "custom_emojis", "domain_blocks", "endorsements", "favourites",
    "featured_tags", "filter_keywords", "filter_statuses", "filters", "follow_events",
    "follow_requests", "follows", "group_members", "group_tree", "groups", "home_feed",
    "idempotency_keys", "instance_settings", "invites", "jobs", "known_browsers",
    "legal_holds",
    "list_accounts", "lists", "markers",
    "media_attachments", "mentions", "metadata",
    "monitor_hourly_counts", "monitor_index", "monitor_mail_state", "monitor_matches", "monitors",
    "monitor_spike_state", "monitor_term_counts",
    "mutes", "newsroom_subscribers",
    "notification_permissions",
    "notification_policies", "notification_requests", "notifications", "oauth_apps",
    "oauth_codes", "oauth_tokens", "pending_sign_ins", "pins", "poll_voters", "poll_votes", "polls",
    "preview_cards", "press_accreditation_groups", "press_accreditations",
    "press_conference_groups", "press_conferences", "press_question_votes", "press_questions",
    "press_release_groups", "press_releases",
    "push_subscriptions", "read_generations", "recovery_codes", "reports", "scheduled_statuses",
    "schema_comparison", "security_keys", "server_keys", "sign_in_attempts", "status_conversations",
    "status_edits", "status_groups", "status_preview_cards", "status_search", "status_tags",
    "statuses", "stories", "story_blocks", "story_collaborators", "story_saves",
    "suggestion_dismissals", "tag_follows", "tags", "thread_mutes",
    "user_identities", "user_tokens",
    "users", "web_sessions", "webauthn_challenges",
]
