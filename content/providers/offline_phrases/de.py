from content.providers.offline_phrases import Phrases

PHRASES = Phrases(
    hooks={
        "professional": ("Eine Neuigkeit, die sich lohnt.", "Wir haben etwas, auf das wir stolz sind."),
        "casual": ("Kurz und knapp für dich 👋", "Weißt du was? 😊"),
        "fun": ("Okay, das hat unseren Tag gerettet 🎉", "Überraschung, und zwar eine gute 😄"),
        "viral": ("Hör kurz auf zu scrollen 🚀", "Das willst du sehen 🔥"),
        "inspirational": (
            "Kleine Schritte führen zu großen Veränderungen ✨",
            "Gutes beginnt mit einer Entscheidung 🌱",
        ),
        "informative": ("Das solltest du wissen.", "Die Kurzfassung, in einer Minute."),
    },
    bodies={
        "professional": ("Wir haben es kurz und praktisch gehalten.", "Das ist eine Minute deines Tages wert."),
        "casual": ("Ehrlich gesagt glauben wir, dass dir das gefällt.", "So einfach ist das."),
        "fun": ("Ja, wir sind ein kleines bisschen zu aufgeregt.", "Wer sagt, dass gute Nachrichten langweilig sind?"),
        "viral": ("Über so etwas reden alle.", "Glaub uns, das willst du dir merken."),
        "inspirational": ("Fortschritt entsteht Tag für Tag.", "Bleib dran: Es summiert sich."),
        "informative": ("Das Wichtigste, ohne Lärm.", "Kurz, klar und nützlich."),
    },
    ctas={
        "professional": (
            "Was meinst du? Teile deine Sicht in den Kommentaren.",
            "Wäre das hilfreich für dich? Sag es uns.",
        ),
        "casual": ("Was meinst du? Schreib es in die Kommentare!", "Würdest du es ausprobieren? Sag es uns 👇"),
        "fun": ("Markiere jemanden, der das sehen muss 😂", "Ein Emoji, wenn du dabei bist! 🙌"),
        "viral": ("Teile das mit jemandem, der es braucht 🔁", "Folge uns, damit du nichts verpasst 🔥"),
        "inspirational": (
            "Was wird dein erster Schritt? Schreib es unten.",
            "Teile das heute mit jemandem, der es braucht.",
        ),
        "informative": ("Fragen? Stell sie unten, wir antworten.", "Speichere diesen Beitrag für später."),
    },
    audience_lines=("{audience}: Das ist für euch.", "{audience}: Lest weiter."),
    np_frames=("{topic}: Das solltest du wissen.", "{topic}: die Kurzfassung."),
    brand_line="Bei {brand} geht es uns um {words}.",
)
