from content.providers.offline_phrases import Phrases

PHRASES = Phrases(
    hooks={
        "professional": ("Uma novidade que merece a sua atenção.", "Temos algo que partilhamos com orgulho."),
        "casual": ("Uma coisa rápida para si 👋", "Sabe que mais? 😊"),
        "fun": ("Pronto, isto fez o nosso dia 🎉", "Reviravolta, e das boas 😄"),
        "viral": ("Pare de fazer scroll por um segundo 🚀", "Vai querer ver isto 🔥"),
        "inspirational": ("Pequenos passos trazem grandes mudanças ✨", "As coisas boas começam com uma decisão 🌱"),
        "informative": ("Eis o que precisa de saber.", "A versão curta, num minuto."),
    },
    bodies={
        "professional": ("Mantivemos isto curto e prático.", "Vale um minuto do seu dia."),
        "casual": ("Sinceramente, achamos que vai gostar.", "Simples assim."),
        "fun": ("Sim, estamos um bocadinho entusiasmados demais.", "Quem disse que as boas notícias são aborrecidas?"),
        "viral": ("É o tipo de coisa de que toda a gente fala.", "Acredite, vai querer lembrar-se disto."),
        "inspirational": ("O progresso constrói-se dia a dia.", "Continue: tudo conta."),
        "informative": ("Este é o ponto essencial, sem ruído.", "Curto, claro e útil."),
    },
    ctas={
        "professional": ("O que acha? Partilhe a sua opinião nos comentários.", "Isto seria útil para si? Diga-nos."),
        "casual": ("O que acha? Conte-nos nos comentários!", "Experimentaria? Diga-nos 👇"),
        "fun": ("Identifique alguém que precisa de ver isto 😂", "Deixe um emoji se alinha! 🙌"),
        "viral": ("Partilhe com quem precisa 🔁", "Siga-nos para não perder o que aí vem 🔥"),
        "inspirational": ("Qual será o seu primeiro passo? Conte-nos abaixo.", "Partilhe isto hoje com quem precisa."),
        "informative": ("Tem perguntas? Deixe-as abaixo e respondemos.", "Guarde esta publicação para depois."),
    },
    audience_lines=("{audience}: isto é para si.", "{audience}: continue a ler."),
    np_frames=("{topic}: o que precisa de saber.", "{topic}: a versão curta."),
    brand_line="Na {brand}, importamo-nos com {words}.",
)
