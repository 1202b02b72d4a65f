from content.providers.offline_phrases import Phrases

PHRASES = Phrases(
    hooks={
        "professional": ("Una novedad que merece tu atención.", "Tenemos algo que compartir con orgullo."),
        "casual": ("Te contamos algo rápido 👋", "¿Sabes qué? 😊"),
        "fun": ("Vale, esto nos ha alegrado el día 🎉", "Giro de guion, y de los buenos 😄"),
        "viral": ("Para un segundo de hacer scroll 🚀", "Esto te va a interesar 🔥"),
        "inspirational": ("Los pequeños pasos traen grandes cambios ✨", "Lo bueno empieza con una decisión 🌱"),
        "informative": ("Esto es lo que necesitas saber.", "La versión corta, en un minuto."),
    },
    bodies={
        "professional": ("Lo hemos resumido de forma breve y práctica.", "Merece un minuto de tu día."),
        "casual": ("La verdad, creemos que te va a gustar.", "Así de sencillo."),
        "fun": ("Sí, estamos un poquito demasiado emocionados.", "¿Quién dijo que las buenas noticias son aburridas?"),
        "viral": ("De esto va a hablar todo el mundo.", "Créenos, te conviene recordarlo."),
        "inspirational": ("El progreso se construye día a día.", "Sigue adelante: todo suma."),
        "informative": ("Este es el punto clave, sin ruido.", "Breve, claro y útil."),
    },
    ctas={
        "professional": ("¿Qué opinas? Cuéntanoslo en los comentarios.", "¿Te resultaría útil? Dínoslo."),
        "casual": ("¿Qué te parece? ¡Cuéntanoslo en los comentarios!", "¿Lo probarías? Dínoslo 👇"),
        "fun": ("Etiqueta a alguien que tenga que ver esto 😂", "¡Deja un emoji si te apuntas! 🙌"),
        "viral": ("Compártelo con quien lo necesite 🔁", "Síguenos para no perderte lo que viene 🔥"),
        "inspirational": ("¿Cuál será tu primer paso? Cuéntanoslo abajo.", "Compártelo con quien lo necesite hoy."),
        "informative": (
            "¿Tienes preguntas? Escríbelas abajo y te respondemos.",
            "Guarda esta publicación para después.",
        ),
    },
    audience_lines=("{audience}: esto es para ti.", "{audience}: sigue leyendo."),
    np_frames=("{topic}: lo que necesitas saber.", "{topic}: te lo contamos en corto."),
    brand_line="En {brand} nos importa {words}.",
)
