from content.providers.offline_phrases import Phrases

PHRASES = Phrases(
    hooks={
        "professional": ("A quick update worth your time.", "Here is something we are proud to share."),
        "casual": ("Quick one for you 👋", "Guess what? 😊"),
        "fun": ("Okay, this made our day 🎉", "Plot twist, and a good one 😄"),
        "viral": ("Stop scrolling for a second 🚀", "You will want to see this 🔥"),
        "inspirational": ("Small steps lead to big changes ✨", "Good things start with one decision 🌱"),
        "informative": ("Here is what you need to know.", "The short version, in one minute."),
    },
    bodies={
        "professional": ("We kept this short and practical.", "It is worth a minute of your day."),
        "casual": ("Honestly, we think you will like this one.", "Simple as that."),
        "fun": ("Yes, we are a little too excited about this.", "Who said good news has to be boring?"),
        "viral": ("This is the kind of thing people talk about.", "Trust us, you will want to remember this one."),
        "inspirational": ("Progress is built one day at a time.", "Keep going: it adds up."),
        "informative": ("Here is the key point, without the noise.", "Short, clear and useful."),
    },
    ctas={
        "professional": ("What do you think? Share your view in the comments.", "Would this help you? Let us know."),
        "casual": ("What do you think? Tell us in the comments!", "Would you try it? Let us know 👇"),
        "fun": ("Tag someone who needs to see this 😂", "Drop an emoji if you are in! 🙌"),
        "viral": ("Share this with someone who needs it 🔁", "Follow us so you do not miss what comes next 🔥"),
        "inspirational": (
            "What will your first step be? Tell us below.",
            "Share this with someone who needs it today.",
        ),
        "informative": ("Questions? Ask below and we will answer.", "Save this post for later."),
    },
    audience_lines=("{audience}, this one is for you.", "{audience}, read on."),
    np_frames=("{topic}: what you need to know.", "{topic}: here is the short version."),
    brand_line="At {brand}, we care about {words}.",
)
