"""The offline writer's drafts are ones a person could post (issue: "AI writing you could post").

30 topics x 3 platforms x {en, es, ar}: the topic is stated once and never mid-sentence, hashtags
are the topic's nouns and names (or the brand's), the detected language is the one asked for, and
every draft fits its platform and ends on a whole sentence.
"""

from __future__ import annotations

import pytest
import regex

from content import platform_rules
from content.language_check import language_check
from content.outputs import shape_output
from content.prompts import build_prompt
from content.providers.base import Brief, ProviderSettings
from content.providers.offline import OfflineProvider
from content.services import brief_build, shape_for
from content.shortening import shorten_at_boundary
from content.tests.offline_topics import AR, EN, ES

OFFLINE = OfflineProvider(
    ProviderSettings(name="offline", model="offline-writer-2", max_tokens=800, temperature=0.7, priority=0)
)
PLATFORMS = ("twitter", "linkedin", "mastodon")
TONES = ("professional", "casual", "fun", "viral", "inspirational", "informative")
_EMOJI_END = regex.compile(r"\p{Extended_Pictographic}\uFE0F?$")


def _write(brief: Brief):
    raw = OFFLINE.complete(build_prompt(brief, max_tokens=800, temperature=0.7)).text
    return shape_for(brief=brief, raw=raw)


def _prose(content: str) -> str:
    """The draft without its closing hashtag line."""
    lines = content.rstrip().splitlines()
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return "\n".join(lines).strip()


def _core(topic: str) -> str:
    """The topic as it would be restated: without its first letter's case and its closing stop."""
    return topic.strip().rstrip(".!")[1:]


@pytest.mark.parametrize(("language", "topics"), [("en", EN), ("es", ES), ("ar", AR)])
def test_offline_drafts_for_thirty_topics_are_postable(language, topics):
    problems: list[str] = []
    for index, (topic, nouns) in enumerate(topics):
        allowed = set(nouns.split())
        for platform in PLATFORMS:
            brief = brief_build(
                kind="CAPTION",
                topic=topic,
                platform=platform,
                language=language,
                tone=TONES[index % len(TONES)],
                audience="" if index % 3 else "small business owners" if language == "en" else "",
            )
            content = _write(brief).content
            prose = _prose(content)
            core = _core(topic)
            where = f"{language}/{platform}/{topic[:40]!r}"
            if content.count(core) > 1:
                problems.append(f"{where}: the topic appears {content.count(core)} times")
            for match in regex.finditer(regex.escape(core), content):
                start = match.start() - 1  # the topic's first letter
                before = content[:start].rstrip(" ")
                if before and before[-1] not in ".!?؟\n" and not _EMOJI_END.search(before):
                    problems.append(f"{where}: the topic is pasted mid-sentence: {content[: start + 20]!r}")
            tags = platform_rules.extract_hashtags(content)
            if not tags:
                problems.append(f"{where}: no hashtag")
            for tag in tags:
                if tag[1:].lower() not in allowed:
                    problems.append(f"{where}: {tag} is not a noun or name of the topic")
            check = language_check(text=content, requested=language)
            if check.detected != language:
                problems.append(f"{where}: detected {check.detected}, asked for {language}")
            if not platform_rules.fits(platform, content):
                problems.append(f"{where}: over the limit")
            if "…" in prose or not (prose[-1] in ".!?؟" or _EMOJI_END.search(prose)):
                problems.append(f"{where}: does not end on a whole sentence: {prose[-30:]!r}")
    assert problems == []


def test_the_lisbon_bakery_reads_like_a_post():
    """The draft from the issue: one statement of the topic, no capital mid-sentence, no filler tags."""
    topic = "Our bakery in Lisbon now delivers fresh sourdough by bike every morning before 8am"
    brief = brief_build(
        kind="CAPTION", topic=topic, platform="linkedin", audience="busy commuters in Lisbon", tone="professional"
    )

    content = _write(brief).content

    assert content.count("bakery in Lisbon now delivers") == 1
    assert "Our bakery in Lisbon now delivers fresh sourdough by bike every morning before 8am." in content
    assert ", Our" not in content and "For busy commuters in Lisbon, Our" not in content
    assert "Busy commuters in Lisbon" in content  # the audience is addressed, at the start of its sentence
    assert set(platform_rules.extract_hashtags(content)) <= {"#Lisbon", "#Sourdough", "#Bakery", "#Bike"}
    for filler in ("#Delivers", "#Tips", "#Keeping", "#Community", "#Fresh"):
        assert filler not in content


@pytest.mark.parametrize(
    ("language", "topic"),
    [
        ("fr", "Notre boulangerie à Lyon livre désormais du pain au levain à vélo"),
        ("de", "Unsere Bäckerei in Hamburg liefert jetzt frisches Sauerteigbrot mit dem Fahrrad"),
        ("pt", "A nossa padaria em Lisboa agora entrega pão de fermentação natural de bicicleta"),
        ("it", "La nostra panetteria a Milano ora consegna pane a lievitazione naturale in bicicletta"),
        ("he", "המאפייה שלנו בתל אביב מביאה עכשיו לחם מחמצת באופניים כל בוקר"),
    ],
)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_studio_language_gets_a_draft_in_that_language(language, topic, platform):
    brief = brief_build(kind="CAPTION", topic=topic, platform=platform, language=language, tone="casual")

    content = _write(brief).content

    assert language_check(text=content, requested=language).detected == language
    assert content.count(_core(topic)) == 1
    assert platform_rules.fits(platform, content)
    assert platform_rules.extract_hashtags(content)


def test_same_brief_same_draft_and_variants_differ():
    drafts = []
    for variant in range(5):
        brief = Brief(
            **{
                **brief_build(kind="CAPTION", topic=EN[6][0], platform="linkedin", tone="viral").__dict__,
                "variant": variant,
            }
        )
        first, again = _write(brief).content, _write(brief).content
        assert first == again
        drafts.append(first)

    assert len(set(drafts)) == 5


def test_brand_hashtags_come_first_and_are_never_doubled():
    brief = Brief(
        **{
            **brief_build(kind="CAPTION", topic=EN[0][0], platform="linkedin").__dict__,
            "default_hashtags": ("#LisbonBakes", "#Sourdough"),
        }
    )

    tags = platform_rules.extract_hashtags(_write(brief).content)

    assert tags[0] == "#LisbonBakes"
    assert [t.lower() for t in tags].count("#sourdough") == 1


def test_an_over_long_topic_is_cut_at_a_clause_not_mid_word():
    topic = ES[26][0] + ", y café de comercio justo servido por el grupo de jóvenes del barrio"  # > 280
    brief = brief_build(kind="CAPTION", topic=topic, platform="twitter", language="es")

    content = _write(brief).content

    assert platform_rules.fits("twitter", content)
    prose = _prose(content)
    assert prose.endswith("…")
    assert topic.startswith(prose[:-1])
    assert topic[len(prose) - 1] == ","  # the cut is where a clause ends


def test_any_providers_long_answer_is_shortened_at_a_sentence_boundary():
    sentences = [f"Sentence number {n} says something useful about sourdough." for n in range(12)]
    raw = " ".join(sentences) + "\n\n#Sourdough #Lisbon"

    shaped = shape_output(kind="CAPTION", raw=raw, platform="twitter")

    prose = _prose(shaped.content)
    assert platform_rules.fits("twitter", shaped.content)
    assert prose.endswith("sourdough.")
    assert prose in " ".join(sentences)


def test_shortening_falls_back_to_a_word_boundary_never_mid_word():
    text = "word " * 100

    cut = shorten_at_boundary("twitter", text, limit=50)

    assert cut.endswith("word…")
    assert len(cut) <= 50
