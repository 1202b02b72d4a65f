from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.api.casing import camelize, to_camel, to_snake, underscoreize

snake_keys = st.from_regex(r"[a-z][a-z0-9]{0,8}(_[a-z][a-z0-9]{0,8}){0,3}", fullmatch=True)


def test_known_names():
    assert to_camel("engagement_rate") == "engagementRate"
    assert to_camel("token_expires_at") == "tokenExpiresAt"
    assert to_snake("tokenExpiresAt") == "token_expires_at"
    assert to_snake("id") == "id"


@given(st.dictionaries(snake_keys, st.integers() | st.text(max_size=5), max_size=6))
def test_camelize_then_underscoreize_round_trips(payload):
    assert underscoreize(camelize(payload)) == payload


def test_nested_lists_and_dicts_are_converted():
    assert camelize({"top_posts": [{"post_id": 1}]}) == {"topPosts": [{"postId": 1}]}
