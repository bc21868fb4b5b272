"""Word families and sentence shapes added after ``blind8`` (EN and FR), merged into the ``vocab_*`` modules.

Unseen mail missed sports and food said in passing: a race time ("knocked two minutes off my 10k"), a
Québec hockey "pratique", an injury picked up at a sport, a dish of another cuisine (poutine, Sichuan), food
as the reason for a trip, baking as a hobby, a children's summer camp, a video game. These lists come from
general knowledge of each family, not from any one passage. Business uses stay traps: a company's
"Loisirs" division, a video game as a sport, a choir's own concert.
"""

from __future__ import annotations

from connector.insights.talking_points.places import VENUES

_SPORTS_EN = (r"football|soccer|rugby|hockey|baseball|basketball|netball|tennis|golf|squash|padel|badminton|"
              r"cricket|volleyball|skiing|snowboarding|climbing|bouldering|cycling|running|five-a-side|"
              r"pickleball|lacrosse|softball|a\s+match|the\s+match|a\s+game|the\s+game|training|the\s+gym|yoga")
_SPORTS_FR = (r"foot|football|rugby|hockey|basket|hand|tennis|golf|squash|padel|badminton|volley|ski|snowboard|"
              r"escalade|vélo|course|jogging|soccer|baseball|judo|karaté|boxe|yoga|crossfit|muscu|gym|"
              r"l'entraînement|la\s+pratique|un\s+match|mon\s+match")

# A round age, not "my 10th year here" or "my 3rd call today".
_AGE = (r"(?:1[89]|[2-9]\d|100)(?:st|nd|rd|th)\b(?!\s+(?:year|anniversary|day|week|month|time|attempt|call|meeting|"
        r"e-?mail|draft|version|revision|invoice|order|ticket|request|reminder|follow-up))")

STRONG_EN: dict[str, tuple[str, ...]] = {
    "sports": (
        r"(?:knocked|shaved|took|cut)\s+(?:\w+\s+){1,3}off\s+my\s+(?:\w+\s+)?(?:time|pb|record)|"
        r"my\s+(?:5k|10k|half(?:-marathon)?|marathon|parkrun|mile|triathlon|sportive)\s+(?:time|pb|split)|"
        r"(?:went|go|going|been)\s+(?:bouldering|climbing|golfing|rowing|kayaking|paddleboarding|mountain\s+biking)|"
        r"round\s+of\s+golf|climbing\s+(?:wall|gym)|(?:climbed|sent|topped|flashed)\s+(?:my\s+first\s+|a\s+)?"
        r"(?:[4-9][abc]\+?|v\d{1,2}|5\.\d{1,2}[abcd]?)(?!\w)|"
        r"(?:a|my|the)\s+(?:yoga|pilates|boxing|climbing|spin|hiit|barre)\s+(?:class|session|retreat)|"
        r"(?:swim|swimming|athletics|track|gymnastics)\s+meet|(?:hockey|soccer|football|rugby|netball|"
        r"basketball|baseball)\s+(?:mom|mum|dad|parent)s?\b|"
        rf"(?:injured|hurt|twisted|sprained|pulled|tore|broke|bruised)\s+(?:\w+\s+){{0,3}}?(?:playing|at|during)\s+"
        rf"(?:{_SPORTS_EN})\b",
    ),
    "food": (
        r"(?:dinner|lunch|brunch|table)\s+at\s+(?:my|our)\s+(?:\w+\s+){0,2}?(?:place|restaurant|spot|bistro)\b|"
        r"(?:mostly|just|all|only|partly)\s+for\s+the\s+food|food\s+(?:tour|crawl|scene)|"
        r"eat(?:ing)?\s+(?:my|our)\s+way\s+(?:through|around)|sourdough\s+starter|"
        r"(?:gone|went|going|turned|become|became|i'm|i\s+am|been|we're|we\s+are)\s+(?:fully\s+|mostly\s+)?"
        r"(?:vegan|vegetarian|veggie|pescatarian|plant-based|gluten-free|dairy-free)|(?:doing|on|trying|started|"
        r"starting)\s+(?:the\s+|a\s+)?(?:keto|paleo|whole30|mediterranean\s+diet|low-carb|intermittent\s+fasting|"
        r"veganuary)\b",
    ),
    "hobbies": (
        r"(?:sourdough|baking|bread|cooking|brewing|fermenting)\s+(?:bore|obsession|phase|addict|nerd|geek|fanatic)|"
        r"(?:into|obsessed\s+with|hooked\s+on)\s+(?:baking|bread-?making|sourdough|fermenting|home-?brewing)",
    ),
    "family": (
        r"(?:ours|mine|the\s+kids|the\s+children|our\s+(?:two|three|boys|girls)|my\s+(?:two|three|boys|girls))\s+"
        r"(?:are|were)\s+(?:off\s+)?(?:at|in)\s+(?:summer\s+|day\s+|sleepaway\s+|scout\s+)?camp",
    ),
    "celebrations": (
        rf"it(?:'s|\s+is)\s+my\s+{_AGE}",
        rf"(?:celebrating|celebrated|before|for)\s+my\s+{_AGE}",
    ),
    "entertainment": (
        r"(?:playing|played|play)\s+(?:the\s+)?(?:(?-i:new|latest)\s+)?(?:(?-i:[A-Z])[\w:'-]*\s+){1,3}game\b(?!\s+plan)|"
        r"(?-i:new|latest)\s+(?:(?-i:[A-Z])[\w:'-]*\s+){1,3}game\b(?!\s+(?:plan|changer))",
    ),
}
WEAK_EN: dict[str, tuple[str, ...]] = {
    "sports": (r"bouldering|golfing",),
    "food": (r"poutine|tourti[eè]re|smoked\s+meat|maple\s+taffy|sugar\s+shack|sichuan|szechuan|hot\s+pot|dumpling",),
    "entertainment": (r"video\s+games?|playstation|xbox|nintendo|gaming",),
}
TRAPS_EN: dict[str, tuple[str, ...]] = {
    "sports": (r"(?:(?-i:new|latest)|video|computer|board|card|mobile|puzzle)\s+(?:(?-i:[A-Z])[\w:'-]*\s+){0,2}game\b|"
               r"(?:game|games)\s+(?:studio|publisher|console|launch|release)|"
               r"(?:step(?:ped|ping)?\s+up|raise|raising|up|upped|lift)\s+(?:our|your|their|my|the)\s+game|"
               r"home\s+run\s+(?:with|for|on)\s+(?:this|the|our|your|their)|(?:whole|different)\s+(?:new\s+)?ball\s*game|"
               r"(?:out\s+of|knock(?:ed)?\s+it\s+out\s+of)\s+the\s+park|mov(?:e|ed|ing)\s+the\s+goal\s*posts|"
               r"par\s+for\s+the\s+course|curve\s*ball|full[-\s]court\s+press|(?:across|over)\s+the\s+finish\s+line|"
               r"sponsor\w*\s+(?:of\s+)?(?:the|a|an|our|your|their|this)\s+(?:\w+\s+){0,3}?(?:marathon|race|match|"
               r"game|tournament|team|club|league|run|ride|cup|event|season|final)s?\b",),
    "entertainment": (r"(?:our|the\s+choir's|the\s+band's)\s+(?:winter|spring|summer|autumn|fall|christmas|holiday|"
                      r"annual|end-of-(?:term|year)|school|charity|carol)\s+(?:concert|recital|performance|show)",),
    "hobbies": (r"(?:leisure|travel\s+&\s+leisure|hobby)\s+(?:division|unit|segment|category|range|department)",),
}

STRONG_FR: dict[str, tuple[str, ...]] = {
    "sports": (
        rf"(?:pratique|entraînement|partie|match|tournoi|séance)\s+de\s+(?:{_SPORTS_FR})\b|"
        r"(?:entorse|foulure|claquage|fracture|blessée?|tombée?|chute|claqué)\s+(?:\w+\s+){0,4}?(?:au|à\s+la|en|"
        rf"pendant\s+(?:le|la|un|une|mon|ma))\s*(?:{_SPORTS_FR})\b|"
        r"(?:amélioré|battu|pulvérisé)\s+mon\s+(?:record|chrono|temps)|mon\s+(?:chrono|temps)\s+(?:au|sur\s+le)\s+"
        r"(?:5|10|21)\s?km|(?:partie|parcours)\s+de\s+golf|(?:cours|séance|retraite)\s+de\s+(?:yoga|pilates|"
        r"boxe|escalade)",
    ),
    "food": (
        r"(?:goûter|goûté|manger|mangé|dévorer|savourer)\s+(?:\w+\s+){0,3}?(?:poutines?|tourtières?|"
        r"pouding\s+chômeur|tire\s+d'érable|smoked\s+meat|bagels?|ramens?|dim\s+sum)|cabane\s+à\s+sucre|"
        r"(?:surtout|juste|rien\s+que|aussi)\s+pour\s+(?:la\s+)?(?:bouffe|cuisine|gastronomie|nourriture)|"
        r"(?:suis|sommes|devenue?s?|passée?s?\s+au|passé\s+au)\s+(?:végétarien|végétalien|vegan|végane|"
        r"flexitarien|pescétarien|sans\s+gluten)(?:ne)?s?|jeûne\s+intermittent|(?:je\s+suis|on\s+est|nous\s+sommes)\s+au\s+"
        r"régime|marché\s+(?:du|de)\s+(?:samedi|dimanche|mercredi|jeudi|quartier|village|producteurs)|"
        r"marché\s+(?:fermier|bio|paysan)",
    ),
    "hobbies": (r"(?:mordue?|accro|passionnée?)\s+(?:de|du|à\s+la)\s+(?:pâtisserie|boulange|pain|levain|"
                r"fermentation|cuisine)",),
    "family": (r"(?:les\s+enfants|les\s+miens|nos\s+(?:deux|trois|enfants)|mes\s+(?:deux|trois|enfants))\s+sont\s+"
               r"(?:en|au|à\s+la)\s+(?:colonie|colo|camp(?:\s+de\s+jour|\s+d'été|\s+de\s+vacances)?)",),
}
WEAK_FR: dict[str, tuple[str, ...]] = {
    "food": (r"poutines?|tourtières?|cabane\s+à\s+sucre",),
    "entertainment": (r"jeux?\s+vidéo|console|playstation|xbox|nintendo",),
}
TRAPS_FR: dict[str, tuple[str, ...]] = {
    "hobbies": (r"(?:division|unité|pôle|département|service|rayon|catégorie|gamme|segment|branche)s?\s+"
                r"(?:\w+\s+)?loisirs",),
    "vacation": (r"(?:division|unité|pôle|département|service|rayon|catégorie|gamme|segment|branche)s?\s+"
                 r"(?:\w+\s+){0,2}?voyages?",),
    "sports": (r"(?:sponsoris\w*|parrain\w*|mécénat)\s+(?:du|de\s+la|de\s+l'|des|le|la|les|notre|votre|leur)\s*"
               r"(?:\w+\s+){0,3}?(?:marathon|course|match|tournoi|équipe|club|ligue|coupe|saison|finale)s?\b|"
               r"(?:pratique|pratiques)\s+(?:de\s+)?(?:gestion|vente|facturation|sécurité|conformité|"
               r"l'entreprise|marché|affaires)",),
}

# A venue hosting a gig is the concert's, not a match's.
VENUE_YIELD = ("entertainment", rf"(?:at|in|to|à|au)\s+(?:the\s+)?{VENUES}")


def split_alternatives(pattern: str) -> tuple[str, ...]:
    """The top-level ``|`` branches of ``pattern`` (outside groups and character classes).

    Each lexicon entry is gated on its own words, so one entry per branch keeps a branch led by a common word
    ("took … off my time") from opening the whole alternation on every sentence.
    """
    branches, depth, in_class, escaped, start = [], 0, False, False, 0
    for i, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
    branches.append(pattern[start:])
    return tuple(branches)


def merge(target: dict[str, tuple[str, ...]], added: dict[str, tuple[str, ...]]) -> None:
    """Append ``added``'s patterns to ``target``'s, topic by topic (in place), one entry per top-level branch."""
    for topic, patterns in added.items():
        target[topic] = target.get(topic, ()) + tuple(b for p in patterns for b in split_alternatives(p))
