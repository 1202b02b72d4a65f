"""Pre-publish checks every platform shares, driven by content.platform_rules."""

from __future__ import annotations

from content.platform_rules import count_characters, extract_hashtags, fits, rule_for
from social.platforms.base import Problem, PublishRequest


def standard_problems(platform: str, post: PublishRequest, *, char_limit: int | None = None) -> list[Problem]:
    rule = rule_for(platform)
    problems: list[Problem] = []
    limit = char_limit or rule.max_chars
    if not post.text.strip() and not post.media:
        problems.append(Problem("empty", "Write something or attach media."))
    if not fits(platform, post.text, limit=limit):
        length = count_characters(platform, post.text)
        if rule.threads:
            problems.append(
                Problem("too_long_thread", f"{length}/{limit} characters: it will be posted as a thread.", "warning")
            )
        else:
            problems.append(Problem("too_long", f"{length}/{limit} characters on {rule.label}: shorten it."))
    for part in post.thread:
        if not fits(platform, part, limit=limit):
            problems.append(Problem("thread_part_too_long", "A thread part is over the limit.", field="thread"))
    tags = extract_hashtags(post.text)
    if rule.max_hashtags is not None and len(tags) > rule.max_hashtags:
        problems.append(
            Problem(
                "too_many_hashtags", f"{len(tags)} hashtags; {rule.label} allows {rule.max_hashtags}.", field="hashtags"
            )
        )
    media_rules = rule.media
    if rule.requires_media and not post.media:
        problems.append(Problem("media_required", f"{rule.label} needs an image or a video.", field="media"))
    if len(post.media) > media_rules.max_items:
        problems.append(
            Problem(
                "too_many_media",
                f"{len(post.media)} files; {rule.label} allows {media_rules.max_items}.",
                field="media",
            )
        )
    for item in post.media:
        is_video = item.content_type.startswith("video/")
        allowed = media_rules.video_types if is_video else media_rules.image_types
        if item.content_type not in allowed:
            problems.append(Problem("media_type", f"{rule.label} does not accept {item.content_type}.", field="media"))
            continue
        max_bytes = media_rules.video_max_bytes if is_video else media_rules.image_max_bytes
        if item.size_bytes > max_bytes:
            problems.append(
                Problem(
                    "media_too_large",
                    f"{item.size_bytes // 1_000_000} MB is over {rule.label}'s {max_bytes // 1_000_000} MB.",
                    field="media",
                )
            )
        if (
            is_video
            and item.duration_seconds is not None
            and not (media_rules.video_min_seconds <= item.duration_seconds <= media_rules.video_max_seconds)
        ):
            problems.append(
                Problem(
                    "video_duration",
                    f"Video must be {media_rules.video_min_seconds:g}-"
                    f"{media_rules.video_max_seconds:g} s on {rule.label}.",
                    field="media",
                )
            )
        if item.width and item.height:
            aspect = item.width / item.height
            if not (media_rules.aspect_min <= aspect <= media_rules.aspect_max):
                problems.append(
                    Problem(
                        "aspect_ratio",
                        f"Aspect ratio {aspect:.2f} is outside {rule.label}'s "
                        f"{media_rules.aspect_min:g}-{media_rules.aspect_max:g}.",
                        field="media",
                    )
                )
        if media_rules.requires_public_url and not item.url.startswith("https://"):
            problems.append(
                Problem(
                    "media_not_public",
                    f"{rule.label} fetches media itself: it needs a public https URL.",
                    field="media",
                )
            )
    return problems
