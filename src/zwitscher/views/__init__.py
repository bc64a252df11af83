"""The read side: what people read, as typed views, and the caches that serve them.

```
 repositories (rows) ─► views (frozen dataclasses, batch loaders)       this package
                           │             │                │
             api entities (Mastodon   web templates   jobs, streams
             shapes, bytes)
 caches: rendered parts by (id, version) · feed ids per viewer · token → viewer
```

- `statuses`, `accounts`: the views and their batch loaders (a page of statuses costs the same
  handful of statements however long it is).
- `db.repos.pages`: the one statement a page asks per reader: what they favourited,
  bookmarked, reblogged, pinned or voted, and each status's and author's current version.
- `zwitscher.caches` (importable by every layer, as the settings are): bounded caches keyed by
  id and version. An entry is never served for a version the page statement did not just
  read, so a lost invalidation can cost a render, never show a stale or deleted status.

Nothing here knows Mastodon's JSON; `zwitscher.api` renders views into it.
"""
