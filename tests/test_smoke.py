"""The first thing a newcomer checks: the server answers and a person can post and read."""

from support import wait_until


def test_instance_reports_a_mastodon_version_clients_understand(server, users):
    instance = users.create().api.instance()
    assert instance.version.startswith("4.5.0+zwitscher")


def test_a_follower_sees_a_new_post_in_their_home_timeline(new_user):
    author, reader = new_user(), new_user()
    reader.api.account_follow(author.id)
    posted = author.api.status_post("Guten Morgen aus dem Lagezentrum")
    home = wait_until(lambda: [s.id for s in reader.api.timeline_home() if s.id == posted.id])
    assert home == [posted.id]
