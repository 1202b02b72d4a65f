from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.platform_rules import (
    count_characters,
    extract_hashtags,
    fits,
    limit_hashtags,
    normalize_hashtag,
    platforms,
    rule_for,
    split_thread,
    truncate_to_limit,
)


def test_x_counts_urls_as_23_and_cjk_and_emoji_as_two():
    assert count_characters("twitter", "hello") == 5
    assert count_characters("twitter", "see https://example.com/a/very/long/path?with=query") == 4 + 23
    assert count_characters("x", "東京") == 4
    assert count_characters("twitter", "👍🏽") == 2  # one emoji sequence with a skin tone
    assert count_characters("twitter", "a\u2019b") == 3  # typographic quote is in a light range


def test_bluesky_counts_graphemes_and_tiktok_counts_utf16_units():
    family = "👨‍👩‍👧"
    assert count_characters("bluesky", family * 3) == 3
    assert count_characters("tiktok", "😀") == 2
    assert count_characters("linkedin", "😀") == 1


def test_mastodon_counts_remote_mentions_by_username_only():
    assert count_characters("mastodon", "hi @ann@example.social") == len("hi @ann")
    assert count_characters("mastodon", "https://example.com/" + "x" * 100) == 23


def test_instagram_hashtag_cap_is_five_not_thirty():
    assert rule_for("instagram").max_hashtags == 5
    tags = [f"#tag{i}" for i in range(12)]
    assert limit_hashtags("instagram", tags) == tags[:5]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("#Summer Sale!", "#SummerSale"),
        ("مرحبا بكم", "#مرحبابكم"),
        ("東京 旅行", "#東京旅行"),
        ("2026", None),
        ("#", None),
    ],
)
def test_hashtags_are_unicode_and_have_no_spaces(raw, expected):
    assert normalize_hashtag(raw) == expected


def test_extract_hashtags_keeps_first_spelling_once():
    assert extract_hashtags("Launch #AI day #ai #Growth") == ["#AI", "#Growth"]


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=900) | st.builds(
    lambda words: " ".join(words),
    st.lists(
        st.sampled_from(["hello", "東京", "👍🏽", "https://example.com/x", "#tag", "مرحبا", "@ann@m.social"]),
        max_size=300,
    ),
)


# Property 3: Platform-Optimized Content Generation (nothing over a platform's limit)
@settings(max_examples=150, deadline=None)
@given(platform=st.sampled_from(platforms()), text=texts)
def test_truncated_text_always_fits_and_is_a_prefix(platform, text):
    result = truncate_to_limit(platform, text)

    assert fits(platform, result)
    assert text.startswith(result.removesuffix("…").rstrip()) or result == ""
    if fits(platform, text):
        assert result == text


# Property 3: every part of a thread fits
@settings(max_examples=80, deadline=None)
@given(platform=st.sampled_from(["twitter", "bluesky", "mastodon"]), text=texts)
def test_every_thread_part_fits(platform, text):
    parts = split_thread(platform, text)

    assert all(fits(platform, part) for part in parts)
