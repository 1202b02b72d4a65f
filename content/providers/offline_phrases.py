"""The offline writer's phrase library: hooks, bodies and calls to action per language and tone.

Placeholders: {topic}, {audience}, {brand}, {words}. Tones outside the six below map through TONE_ALIASES.
"""

from __future__ import annotations

TONES = ("professional", "casual", "fun", "viral", "inspirational", "informative")
TONE_ALIASES = {
    "formal": "professional",
    "business": "professional",
    "authoritative": "professional",
    "friendly": "casual",
    "conversational": "casual",
    "warm": "casual",
    "empathetic": "casual",
    "playful": "fun",
    "witty": "fun",
    "humorous": "fun",
    "funny": "fun",
    "bold": "viral",
    "urgent": "viral",
    "exciting": "viral",
    "provocative": "viral",
    "motivational": "inspirational",
    "uplifting": "inspirational",
    "educational": "informative",
    "technical": "informative",
    "neutral": "informative",
}
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})

PHRASES: dict[str, dict[str, object]] = {
    "en": {
        "hooks": {
            "professional": [
                "Here is what {audience} should know about {topic}.",
                "{topic}: three points worth your time.",
            ],
            "casual": ["Let's talk about {topic} for a minute.", "Quick thought on {topic} 👇"],
            "fun": ["Plot twist: {topic} is more fun than it sounds 🎉", "Okay, {topic} time! 😄"],
            "viral": [
                "Stop scrolling: {topic} changes everything 🚀",
                "Nobody is talking about {topic}. They should be.",
            ],
            "inspirational": ["Every big change starts small, and {topic} proves it ✨", "Dream bigger with {topic}."],
            "informative": ["{topic}, explained in under a minute.", "What the data says about {topic}."],
        },
        "bodies": [
            "For {audience}, {topic} means less guesswork and more results.",
            "Start with one small step, measure what works, then double down on {topic}.",
            "The teams that win with {topic} keep it simple and stay consistent.",
            "Focus on what your audience needs, and {topic} becomes the easy part.",
        ],
        "ctas": {
            "professional": [
                "What is your experience with {topic}? Share it below.",
                "Follow for more practical insights.",
            ],
            "casual": ["What do you think? Tell me in the comments!", "Save this for later 💾"],
            "fun": ["Tag a friend who needs this 😂", "Drop an emoji if you agree! 🙌"],
            "viral": ["Share this before everyone else does 🔁", "Follow for more 🔥"],
            "inspirational": ["Your move: start today. 💪", "Share this with someone who needs it today."],
            "informative": ["Bookmark this and read the details later.", "Questions? Ask below and we'll answer."],
        },
        "brand_line": "At {brand}, we care about {words}.",
        "generic_tags": ["Tips", "Community"],
    },
    "es": {
        "hooks": {
            "professional": ["Lo que {audience} debe saber sobre {topic}.", "{topic}: tres claves que valen la pena."],
            "casual": ["Hablemos un momento de {topic}.", "Una idea rápida sobre {topic} 👇"],
            "fun": ["Sorpresa: {topic} es más divertido de lo que parece 🎉", "¡Hora de {topic}! 😄"],
            "viral": ["Deja de hacer scroll: {topic} lo cambia todo 🚀", "Nadie habla de {topic}. Y deberían."],
            "inspirational": [
                "Todo gran cambio empieza pequeño, y {topic} lo demuestra ✨",
                "Sueña en grande con {topic}.",
            ],
            "informative": ["{topic}, explicado en menos de un minuto.", "Lo que dicen los datos sobre {topic}."],
        },
        "bodies": [
            "Para {audience}, {topic} significa menos improvisación y más resultados.",
            "Empieza con un paso pequeño, mide lo que funciona y apuesta por {topic}.",
            "Los equipos que triunfan con {topic} lo mantienen simple y son constantes.",
            "Céntrate en lo que necesita tu audiencia y {topic} será lo fácil.",
        ],
        "ctas": {
            "professional": [
                "¿Cuál es tu experiencia con {topic}? Cuéntanosla abajo.",
                "Síguenos para más ideas prácticas.",
            ],
            "casual": ["¿Qué opinas? ¡Cuéntamelo en los comentarios!", "Guárdalo para después 💾"],
            "fun": ["Etiqueta a alguien que necesite esto 😂", "¡Deja un emoji si estás de acuerdo! 🙌"],
            "viral": ["Compártelo antes que nadie 🔁", "Síguenos para más 🔥"],
            "inspirational": ["Tu turno: empieza hoy. 💪", "Compártelo con quien lo necesite hoy."],
            "informative": ["Guárdalo y lee los detalles más tarde.", "¿Preguntas? Escríbelas abajo y respondemos."],
        },
        "brand_line": "En {brand} nos importa {words}.",
        "generic_tags": ["Consejos", "Comunidad"],
    },
    "fr": {
        "hooks": {
            "professional": ["Ce que {audience} doit savoir sur {topic}.", "{topic} : trois points qui comptent."],
            "casual": ["Parlons un instant de {topic}.", "Petite réflexion sur {topic} 👇"],
            "fun": ["Surprise : {topic} est plus amusant qu'il n'y paraît 🎉", "C'est l'heure de {topic} ! 😄"],
            "viral": ["Arrêtez de scroller : {topic} change tout 🚀", "Personne ne parle de {topic}. Et pourtant."],
            "inspirational": [
                "Chaque grand changement commence petit, {topic} le prouve ✨",
                "Voyez plus grand avec {topic}.",
            ],
            "informative": ["{topic}, expliqué en moins d'une minute.", "Ce que disent les données sur {topic}."],
        },
        "bodies": [
            "Pour {audience}, {topic} signifie moins d'improvisation et plus de résultats.",
            "Commencez petit, mesurez ce qui marche, puis misez sur {topic}.",
            "Les équipes qui réussissent avec {topic} restent simples et régulières.",
            "Concentrez-vous sur les besoins de votre public : {topic} devient facile.",
        ],
        "ctas": {
            "professional": [
                "Quelle est votre expérience avec {topic} ? Partagez-la en commentaire.",
                "Suivez-nous pour d'autres conseils pratiques.",
            ],
            "casual": ["Qu'en pensez-vous ? Dites-le en commentaire !", "Enregistrez-le pour plus tard 💾"],
            "fun": ["Identifiez un ami qui en a besoin 😂", "Un emoji si vous êtes d'accord ! 🙌"],
            "viral": ["Partagez-le avant tout le monde 🔁", "Suivez-nous pour la suite 🔥"],
            "inspirational": [
                "À vous de jouer : commencez aujourd'hui. 💪",
                "Partagez-le avec quelqu'un qui en a besoin.",
            ],
            "informative": [
                "Enregistrez ce post pour lire les détails plus tard.",
                "Des questions ? Posez-les ci-dessous.",
            ],
        },
        "brand_line": "Chez {brand}, nous tenons à {words}.",
        "generic_tags": ["Conseils", "Communauté"],
    },
    "de": {
        "hooks": {
            "professional": ["Was {audience} über {topic} wissen sollte.", "{topic}: drei Punkte, die sich lohnen."],
            "casual": ["Lass uns kurz über {topic} reden.", "Ein schneller Gedanke zu {topic} 👇"],
            "fun": ["Überraschung: {topic} macht mehr Spaß als gedacht 🎉", "Zeit für {topic}! 😄"],
            "viral": ["Nicht weiterscrollen: {topic} ändert alles 🚀", "Niemand spricht über {topic}. Zu Unrecht."],
            "inspirational": [
                "Jede große Veränderung beginnt klein, {topic} beweist es ✨",
                "Denk größer mit {topic}.",
            ],
            "informative": ["{topic}, in unter einer Minute erklärt.", "Was die Daten über {topic} sagen."],
        },
        "bodies": [
            "Für {audience} bedeutet {topic} weniger Rätselraten und mehr Ergebnisse.",
            "Fang klein an, miss, was funktioniert, und setz dann auf {topic}.",
            "Teams, die mit {topic} gewinnen, bleiben einfach und konsequent.",
            "Konzentriere dich auf das, was dein Publikum braucht, dann wird {topic} leicht.",
        ],
        "ctas": {
            "professional": [
                "Welche Erfahrungen hast du mit {topic}? Teile sie unten.",
                "Folge uns für weitere praktische Tipps.",
            ],
            "casual": ["Was meinst du? Schreib es in die Kommentare!", "Speicher dir das für später 💾"],
            "fun": ["Markiere jemanden, der das braucht 😂", "Ein Emoji, wenn du zustimmst! 🙌"],
            "viral": ["Teile das, bevor es alle tun 🔁", "Folge uns für mehr 🔥"],
            "inspirational": ["Du bist dran: Fang heute an. 💪", "Teile das mit jemandem, der es heute braucht."],
            "informative": ["Speichere den Beitrag und lies die Details später.", "Fragen? Stell sie unten."],
        },
        "brand_line": "Bei {brand} geht es uns um {words}.",
        "generic_tags": ["Tipps", "Community"],
    },
    "ar": {
        "hooks": {
            "professional": ["ما يجب أن يعرفه {audience} عن {topic}.", "{topic}: ثلاث نقاط تستحق وقتك."],
            "casual": ["لنتحدث قليلاً عن {topic}.", "فكرة سريعة عن {topic} 👇"],
            "fun": ["مفاجأة: {topic} أمتع مما تظن 🎉", "حان وقت {topic}! 😄"],
            "viral": ["توقف عن التمرير: {topic} يغيّر كل شيء 🚀", "لا أحد يتحدث عن {topic}. ويجب أن يفعلوا."],
            "inspirational": ["كل تغيير كبير يبدأ صغيراً، و{topic} خير دليل ✨", "احلم أكبر مع {topic}."],
            "informative": ["{topic} في أقل من دقيقة.", "ماذا تقول البيانات عن {topic}."],
        },
        "bodies": [
            "بالنسبة إلى {audience}، يعني {topic} تخميناً أقل ونتائج أكثر.",
            "ابدأ بخطوة صغيرة، وقِس ما ينجح، ثم ركّز على {topic}.",
            "الفرق التي تنجح في {topic} تبقي الأمور بسيطة وتستمر.",
            "ركّز على ما يحتاجه جمهورك، وسيصبح {topic} الجزء الأسهل.",
        ],
        "ctas": {
            "professional": ["ما تجربتك مع {topic}؟ شاركنا في التعليقات.", "تابعنا للمزيد من الأفكار العملية."],
            "casual": ["ما رأيك؟ أخبرنا في التعليقات!", "احفظ المنشور لوقت لاحق 💾"],
            "fun": ["أشر إلى صديق يحتاج هذا 😂", "ضع رمزاً تعبيرياً إن كنت توافق! 🙌"],
            "viral": ["شارك المنشور قبل الجميع 🔁", "تابعنا للمزيد 🔥"],
            "inspirational": ["دورك الآن: ابدأ اليوم. 💪", "شاركه مع من يحتاجه اليوم."],
            "informative": ["احفظ المنشور واقرأ التفاصيل لاحقاً.", "لديك سؤال؟ اكتبه في التعليقات."],
        },
        "brand_line": "في {brand} نهتم بـ{words}.",
        "generic_tags": ["نصائح", "مجتمع"],
    },
    "he": {
        "hooks": {
            "professional": ["מה ש{audience} צריכים לדעת על {topic}.", "{topic}: שלוש נקודות ששוות את הזמן."],
            "casual": ["בואו נדבר רגע על {topic}.", "מחשבה קצרה על {topic} 👇"],
            "fun": ["הפתעה: {topic} כיף יותר ממה שנדמה 🎉", "הגיע הזמן ל{topic}! 😄"],
            "viral": ["עצרו הכול: {topic} משנה את התמונה 🚀", "אף אחד לא מדבר על {topic}. כדאי שידברו."],
            "inspirational": ["כל שינוי גדול מתחיל בקטן, ו{topic} מוכיח את זה ✨", "לחלום בגדול עם {topic}."],
            "informative": ["{topic} בפחות מדקה.", "מה הנתונים אומרים על {topic}."],
        },
        "bodies": [
            "עבור {audience}, {topic} פירושו פחות ניחושים ויותר תוצאות.",
            "התחילו בצעד קטן, מדדו מה עובד, ואז השקיעו ב{topic}.",
            "צוותים שמצליחים עם {topic} שומרים על פשטות ועקביות.",
            "התמקדו במה שהקהל שלכם צריך, ו{topic} יהיה החלק הקל.",
        ],
        "ctas": {
            "professional": ["מה הניסיון שלכם עם {topic}? שתפו בתגובות.", "עקבו אחרינו לעוד תובנות מעשיות."],
            "casual": ["מה דעתכם? ספרו לנו בתגובות!", "שמרו את זה להמשך 💾"],
            "fun": ["תייגו חבר שצריך את זה 😂", "השאירו אימוג'י אם אתם מסכימים! 🙌"],
            "viral": ["שתפו לפני כולם 🔁", "עקבו לעוד 🔥"],
            "inspirational": ["התור שלכם: התחילו היום. 💪", "שתפו עם מי שצריך את זה היום."],
            "informative": ["שמרו את הפוסט וקראו את הפרטים אחר כך.", "יש שאלות? כתבו אותן למטה."],
        },
        "brand_line": "ב{brand} אכפת לנו מ{words}.",
        "generic_tags": ["טיפים", "קהילה"],
    },
}

DEFAULT_AUDIENCE = {
    "en": "everyone",
    "es": "todos",
    "fr": "tout le monde",
    "de": "alle",
    "ar": "الجميع",
    "he": "כולם",
}
