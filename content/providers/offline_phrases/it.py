from content.providers.offline_phrases import Phrases

PHRASES = Phrases(
    hooks={
        "professional": ("Una novità che merita la tua attenzione.", "Abbiamo qualcosa da condividere con orgoglio."),
        "casual": ("Una cosa veloce per te 👋", "Sai una cosa? 😊"),
        "fun": ("Ok, questa ci ha migliorato la giornata 🎉", "Colpo di scena, e pure bello 😄"),
        "viral": ("Fermati un secondo 🚀", "Vorrai vederlo 🔥"),
        "inspirational": ("I piccoli passi portano grandi cambiamenti ✨", "Le cose belle iniziano con una scelta 🌱"),
        "informative": ("Ecco cosa devi sapere.", "La versione breve, in un minuto."),
    },
    bodies={
        "professional": ("L'abbiamo tenuto breve e pratico.", "Vale un minuto della tua giornata."),
        "casual": ("Sinceramente, pensiamo che ti piacerà.", "Semplice così."),
        "fun": ("Sì, siamo un pochino troppo entusiasti.", "Chi ha detto che le belle notizie sono noiose?"),
        "viral": ("È il genere di cosa di cui parlano tutti.", "Fidati, vorrai ricordartelo."),
        "inspirational": ("Il progresso si costruisce giorno dopo giorno.", "Continua: tutto conta."),
        "informative": ("Ecco il punto chiave, senza rumore.", "Breve, chiaro e utile."),
    },
    ctas={
        "professional": ("Che ne pensi? Dicci la tua nei commenti.", "Ti sarebbe utile? Faccelo sapere."),
        "casual": ("Che ne pensi? Scrivilo nei commenti!", "Lo proveresti? Faccelo sapere 👇"),
        "fun": ("Tagga qualcuno che deve vederlo 😂", "Lascia un'emoji se ci stai! 🙌"),
        "viral": ("Condividilo con chi ne ha bisogno 🔁", "Seguici per non perderti le prossime novità 🔥"),
        "inspirational": (
            "Quale sarà il tuo primo passo? Scrivilo qui sotto.",
            "Condividilo oggi con chi ne ha bisogno.",
        ),
        "informative": ("Domande? Scrivile qui sotto e ti rispondiamo.", "Salva questo post per dopo."),
    },
    audience_lines=("{audience}: questo è per voi.", "{audience}: continuate a leggere."),
    np_frames=("{topic}: cosa devi sapere.", "{topic}: la versione breve."),
    brand_line="Da {brand} teniamo a {words}.",
)
