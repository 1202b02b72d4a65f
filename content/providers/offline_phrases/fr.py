from content.providers.offline_phrases import Phrases

PHRASES = Phrases(
    hooks={
        "professional": ("Une nouvelle qui mérite votre attention.", "Nous avons une bonne nouvelle à partager."),
        "casual": ("Un petit mot rapide 👋", "Vous savez quoi ? 😊"),
        "fun": ("Bon, ça a illuminé notre journée 🎉", "Rebondissement, et un bon 😄"),
        "viral": ("Arrêtez de scroller une seconde 🚀", "Vous allez vouloir voir ça 🔥"),
        "inspirational": ("Les petits pas mènent aux grands changements ✨", "Tout commence par une décision 🌱"),
        "informative": ("Voici ce qu'il faut savoir.", "La version courte, en une minute."),
    },
    bodies={
        "professional": ("Nous avons fait court et concret.", "Cela vaut une minute de votre journée."),
        "casual": ("Franchement, on pense que ça va vous plaire.", "Tout simplement."),
        "fun": ("Oui, on est un peu trop enthousiastes.", "Qui a dit que les bonnes nouvelles étaient ennuyeuses ?"),
        "viral": ("C'est le genre de chose dont tout le monde parle.", "Croyez-nous, vous allez vous en souvenir."),
        "inspirational": ("Le progrès se construit jour après jour.", "Continuez : chaque pas compte."),
        "informative": ("Voici l'essentiel, sans le bruit.", "Court, clair et utile."),
    },
    ctas={
        "professional": (
            "Qu'en pensez-vous ? Donnez votre avis en commentaire.",
            "Cela vous serait utile ? Dites-le-nous.",
        ),
        "casual": ("Qu'en pensez-vous ? Dites-le en commentaire !", "Vous essaieriez ? Dites-nous 👇"),
        "fun": ("Identifiez quelqu'un qui doit voir ça 😂", "Un emoji si vous êtes partant ! 🙌"),
        "viral": ("Partagez avec quelqu'un qui en a besoin 🔁", "Suivez-nous pour ne rien manquer 🔥"),
        "inspirational": (
            "Quel sera votre premier pas ? Dites-le ci-dessous.",
            "Partagez ceci avec quelqu'un aujourd'hui.",
        ),
        "informative": ("Des questions ? Posez-les ci-dessous.", "Enregistrez cette publication pour plus tard."),
    },
    audience_lines=("{audience} : ceci est pour vous.", "{audience} : lisez la suite."),
    np_frames=("{topic} : ce qu'il faut savoir.", "{topic} : la version courte."),
    brand_line="Chez {brand}, nous tenons à {words}.",
)
