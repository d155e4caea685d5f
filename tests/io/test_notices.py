"""Tests of dedup.io.notices: notices are counted, the first few of each kind kept, the rest summed up."""

from __future__ import annotations

from dedup.io.notices import Notice, Notices


def test_notices_count_everything_and_keep_the_first_few_per_kind():
    notices = Notices(keep=2)
    for number in range(5):
        notices.add("empty", f"e{number}")
    notices.add("duplicate_id", "d0")
    assert notices.counts() == {"empty": 5, "duplicate_id": 1}
    assert [notice.message for notice in notices.messages] == ["e0", "e1", "d0"]


def test_a_notice_prints_as_its_message():
    assert str(Notice("empty", "a.txt: document 'a.txt' is empty")) == "a.txt: document 'a.txt' is empty"


def test_shown_notices_say_how_many_more_of_each_kind_were_not_kept():
    notices = Notices(keep=2)
    for number in range(5):
        notices.add("empty", f"e{number}")
    notices.add("duplicate_id", "d0")
    assert notices.shown() == ("e0", "e1", "d0", "... and 3 more empty notices")
