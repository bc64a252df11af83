"""Live delivery: the pub/sub broker and the SSE and WebSocket endpoints of the streaming API.

Channels (the names Mastodon's streaming server uses):
  timeline:{account_id}   a person's home timeline and notifications
  timeline:public         public statuses;  timeline:public:local  (all of ours are local)
  timeline:hashtag:{tag}  public statuses with the tag (lower-cased)
On Redis each carries the instance's name in front (`zw-…:timeline:public`), so instances
sharing a Redis server never hear each other.
Each message is JSON `{"event", "payload", "meta"}`; `meta` carries the account ids a
connection needs to apply its viewer's blocks and mutes without asking the database.
"""
