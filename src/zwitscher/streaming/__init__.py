"""Live delivery: the pub/sub broker and the SSE and WebSocket endpoints of the streaming API.

Channel and event names are spelled in `zwitscher.domain.channels` (with a map of them);
`session.py` maps the stream names clients send (Mastodon's `user`, `public:local`,
`hashtag`, …) onto those channels. On Redis each channel carries the instance's name in front
(`zw-…:timeline:public`), so instances sharing a Redis server never hear each other.
Each message is JSON `{"event", "payload", "meta"}`; `meta` carries the account ids a
connection needs to apply its viewer's blocks and mutes without asking the database.
"""
