"""Throw-away uids: unique while in use, and only used where switching to them can work."""

from concurrent.futures import ThreadPoolExecutor

from curiosa.sandbox import identity


def test_ephemeral_ids_are_unique_while_held_and_far_from_real_users():
    held = []

    def take(_):
        with identity.ephemeral_id() as uid:
            held.append(uid)
            return uid

    with identity.ephemeral_id() as outer:
        with ThreadPoolExecutor(8) as pool:
            inner = list(pool.map(take, range(64)))
    assert outer not in inner
    assert all(1_000_000_000 < uid < 2**32 - 1 for uid in inner + [outer])


def test_uid_map_must_cover_the_whole_range():
    assert identity.uid_map_covers_ephemeral_ids("         0          0 4294967295\n")
    assert not identity.uid_map_covers_ephemeral_ids("         0       1000          1\n")  # rootless container
    assert not identity.uid_map_covers_ephemeral_ids("0 100000 65536\n")
    assert not identity.uid_map_covers_ephemeral_ids("garbage")


def test_normal_users_do_not_switch(monkeypatch):
    monkeypatch.setattr(identity.os, "geteuid", lambda: 1000)
    assert not identity.can_switch_user()


def test_counting_tasks_of_a_user_includes_this_process():
    assert identity.count_tasks_of(identity.os.geteuid()) >= 1
