"""Live deliveries: the open timeline streams a new post was sent to, counted per connection
and post by the process holding the connections and written in batches (docs/analytics.md,
"Live deliveries"). Real streams (Mastodon.py, server-sent events, the WebSocket) against a
real server."""

import pytest
from analytics_support import counted

from streams import Listener, about, close_in_background, open_sse, open_websocket
from support import UserFactory, fresh_instance, wait_until

ANALYTICS = "/api/zwitscher/v1/analytics"
GROUPS = "/api/zwitscher/v1/groups"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("live-deliveries"),
                        ZWITSCHER_ANALYTICS_ROLLUP_SECONDS="0.3",
                        ZWITSCHER_ANALYTICS_LIVE_FLUSH_SECONDS="0.3") as server:
        yield server


@pytest.fixture
def streams(live_server):
    opened_sse: list = []
    opened_sockets: list = []
    yield open_sse(live_server, opened_sse), open_websocket(live_server, opened_sockets)
    for stream in opened_sse:
        stream.close()
    for connection in opened_sockets:
        connection.close()


def test_each_open_timeline_a_new_post_reaches_counts_once(live_server, streams):
    sse, websocket = streams
    users = UserFactory(live_server)
    admin = users.create(role="admin")
    alice, bob, carol, dave, erin, frank = (users.create() for _ in range(6))
    a = int(alice.id)
    group = admin.http.post(GROUPS, data={"slug": f"stand-{alice.username}",
                                          "name": "Messestand"}).json()
    admin.http.post(f"{GROUPS}/{group['id']}/members",
                    data={"account_ids[]": [alice.id, bob.id], "role": "member"}
                    ).raise_for_status()
    erin.api.account_follow(alice.id)
    frank.api.account_mute(alice.id)

    # Bob follows the hashtag in Mastodon.py and has the group open in the web interface's way.
    listener = Listener()
    hashtag = bob.api.stream_hashtag("messe", listener, run_async=True)
    try:
        bobs_group = sse("/api/v1/streaming/group", bob, group=group["id"])
        carols = sse("/api/v1/streaming/public", carol)
        # Dave hears the post on two streams of one connection: one live delivery.
        daves = websocket(dave.token)
        daves.send({"type": "subscribe", "stream": "public:local"})
        daves.send({"type": "subscribe", "stream": "hashtag", "tag": "messe"})
        daves.barrier()
        # Not counted: Erin's home stream (her home feed is a delivery already), Alice's own
        # timeline, and Frank's, which drops the post of someone he muted.
        erins = sse("/api/v1/streaming/user", erin)
        alices = sse("/api/v1/streaming/public/local", alice)
        franks = sse("/api/v1/streaming/public", frank)
        assert wait_until(lambda: hashtag.connection is not None)

        public = alice.api.status_post("Stand 4 ist offen #messe")
        grouped = alice.http.post("/api/v1/statuses", data={
            "status": "Kaffee am Stand", "visibility": "group",
            "group_ids[]": group["id"]}).json()
        alice.api.status_update(public, "Stand 4 ist ab jetzt offen #messe")  # an edit
        carol.api.status_reblog(public)  # a boost
        sentinel = carol.api.status_post("Bis morgen #messe")

        for stream in (carols, franks, alices):
            stream.wait_for("update", about({"id": str(sentinel.id)}))
        bobs_group.wait_for("update", about(grouped))
        erins.wait_for("update", about({"id": str(public.id)}))
        daves.wait_for(lambda m: m.get("event") == "update"
                       and str(sentinel.id) in m["payload"])
        assert wait_until(lambda: sentinel.id in [s.id for s in listener.updates])
        assert str(public.id) in carols.status_ids() and str(public.id) in alices.status_ids()
        assert str(public.id) not in franks.status_ids()

        # Bob (hashtag), Carol and Dave had the post; Bob had the group post.
        assert wait_until(lambda: counted(live_server, ("account", a, "live_deliveries")) == 4)
        assert counted(live_server, ("group", int(group["id"]), "live_deliveries")) == 1
        # Carol's post went to Bob's hashtag, Dave's connection, Alice and Frank.
        assert wait_until(lambda: counted(live_server, ("instance", 0, "live_deliveries"))
                          == 4 + 4)
        assert counted(live_server, ("account", int(carol.id), "live_deliveries")) == 4

        report = alice.http.get(f"{ANALYTICS}/accounts/{alice.id}").json()
        assert report["totals"]["live_deliveries"] == 4
        assert report["totals"]["deliveries"] == 2  # Erin's and Bob's home feeds
        csv = alice.http.get(f"{ANALYTICS}/accounts/{alice.id}.csv").text
        assert "live_deliveries" in csv.splitlines()[0]
    finally:
        close_in_background(hashtag)


def test_a_server_that_stops_writes_the_live_deliveries_it_had_not_written(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("live-deliveries-stop"),
                        ZWITSCHER_ANALYTICS_LIVE_FLUSH_SECONDS="3600") as server:
        users = UserFactory(server)
        author, reader = users.create(), users.create()
        opened: list = []
        stream = open_sse(server, opened)("/api/v1/streaming/public", reader)
        status = author.api.status_post("Kurz vor Feierabend")
        stream.wait_for("update", about({"id": str(status.id)}))
        stream.close()
        assert counted(server, ("account", int(author.id), "live_deliveries")) == 0
        server.stop()  # SIGTERM, as a service manager stops it
        assert counted(server, ("account", int(author.id), "live_deliveries")) == 1
