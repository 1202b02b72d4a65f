"""Recurrence rules in words, in the reader's language; what has no words is shown as the rule itself."""

from __future__ import annotations

import pytest
from django.utils import translation

from scheduling.recurrence import describe_rule


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=DAILY", "Every day"),
        ("FREQ=HOURLY;INTERVAL=3", "Every 3 hours"),
        ("RRULE:FREQ=WEEKLY;BYDAY=MO", "Every week on Monday"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday"),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR",
            "Every 2 weeks on Monday, Tuesday, Wednesday, Thursday, Friday",
        ),
        ("FREQ=MONTHLY;COUNT=1", "Every month, once"),
        ("FREQ=YEARLY;COUNT=3", "Every year, 3 times"),
        ("FREQ=DAILY;UNTIL=20270301T000000Z", "Every day, until March 1, 2027"),
        ("FREQ=WEEKLY;WKST=MO;BYDAY=SU", "Every week on Sunday"),
    ],
)
def test_rules_read_as_sentences(rule, words):
    with translation.override("en"):
        assert describe_rule(rule) == words


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=FR",
        "FREQ=MONTHLY;BYMONTHDAY=1,15",
        "FREQ=WEEKLY;BYDAY=1MO",
        "FREQ=DAILY;INTERVAL=0",
    ],
)
def test_what_has_no_words_is_shown_as_the_rule_itself(rule):
    # words for part of the rule would promise a different schedule from the one that runs
    with translation.override("en"):
        assert describe_rule(rule) == f"Custom rule: {rule}"


@pytest.mark.parametrize(
    ("language", "count", "words"),
    [
        ("es", 2, "Cada 2 semanas, los lunes, jueves, 10 veces"),
        ("ar", 1, "كل أسبوع، يوم الاثنين، الخميس، 10 مرات"),
        ("ar", 2, "كل أسبوعين، يوم الاثنين، الخميس، 10 مرات"),
    ],
)
def test_rules_are_worded_in_the_readers_language_with_its_plural_forms(language, count, words):
    with translation.override(language):
        assert describe_rule(f"FREQ=WEEKLY;INTERVAL={count};BYDAY=MO,TH;COUNT=10") == words
