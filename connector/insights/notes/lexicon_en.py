"""English intent lexicon (see :class:`connector.insights.notes.lexicon.Lexicon`)."""

from __future__ import annotations

import re

from connector.insights.notes.lexicon import Lexicon, words

_IMPERATIVE = (
    r"prepare|prep|send|update|draft|submit|finali[sz]e|renew|book|e-?mail|follow[- ]?up|check|confirm|review|"
    r"remind|organi[sz]e|arrange|schedule|set\s+up|sign|create|write|fix|ask|share|forward|complete|"
    r"reply|get|chase|plan|invite|reserve|call|ring|phone|meet|visit|contact|reach\s+out|circle\s+back|"
    r"bring|put\s+together|pull\s+together|line\s+up|make\s+sure|find|build|figure\s+out|sort\s+out|hand\s+over|"
    r"collect|gather|compile|double-check|verify|validate|align|coordinate|clarify|negotiate|respond|answer|upload|"
    r"install|configure|try|look\s+into|investigate|research|analy[sz]e|register|sign\s+up|pay|extend|revise|amend|"
    r"edit|correct|finish|kick\s+off|nudge|ping|tell|inform|notify|propose|suggest|recommend|pitch|walk\s+through|"
    r"onboard|check\s+back|touch\s+base|connect\s+with|add|remove|chase\s+up|dig\s+into"
)

LEXICON = Lexicon(
    appointment=words(r"meet", r"meeting", r"meetings", r"mtg", r"demo", r"lunch", r"dinner", r"breakfast",
                      r"coffee", r"visit", r"site\s+visit", r"sync", r"catch[- ]?up", r"check-in", r"workshop",
                      r"presentation", r"qbr", r"kick-?off",
                      r"appointment", r"appt", r"on-?site", r"webinar", r"get-together", r"drinks",
                      r"(?:quarterly|business|annual|account|design|project|monthly|weekly|pipeline)\s+review",
                      r"sessions?", r"(?:steering\s+)?committee", r"visio", r"video\s*conf\w*", r"board\s+meeting",
                      r"zoom", r"teams\s+meeting",
                      r"webex", r"skype", r"google\s+meet",
                      r"video\s+call", r"offsite", r"off-site",
                      r"interview", r"huddle", r"1:1", r"one-on-one", r"face-to-face", r"f2f", r"tour",
                      r"conference"),
    call=words(r"call", r"calls", r"ring", r"phone", r"callback", r"call-?back", r"by\s+phone", r"on\s+the\s+phone",
               r"dial", r"give\s+\w+\s+a\s+(?:call|ring|buzz)"),
    task=words(r"i'll", r"i\s+will", r"we'll", r"we\s+will", r"need\s+to", r"needs\s+to", r"have\s+to", r"has\s+to",
               r"must", r"remember\s+to", r"don't\s+forget\s+to", r"(?<!nothing\s)to\s*-?\s*do", r"todo", r"reminder",
               r"action\s+item",
               r"(?:legal|finance|procurement|it|ops|sales|support|marketing|team|engineering|product|he|she|they)"
               r"\s+(?:needs?\s+|has\s+|have\s+)?to\s+(?:review|sign|approve|confirm|send|check|validate|update)",
               r"(?:wants?|expects?|waiting\s+for|awaiting)\s+(?:a|an|our|the)\s+"
               r"(?:proposal|quote|offer|contract|estimate)", r"needs?\s+(?:a|an)(?=\s)", r"follow[- ]?up\s+with",
               r"follow\s+up\s+on"),
    imperative=words(_IMPERATIVE),
    request_task=words(r"(?:requested|request(?:s|ing)?|asked\s+(?:us\s+)?for|ask(?:s|ing)?\s+for|wants?|needs?|expects?|"
                       r"waiting\s+for|awaiting)\s+(?:a|an|the|our|their)\s+(?:\w+\s+){0,2}"
                       r"(?:quotes?|proposals?|estimates?|offers?|contracts?|bids?|sows?|questionnaires?|forms?|rf[pi]s?|"
                       r"answers?|feedback|signatures?)"),
    scheduling=words(r"schedule", r"scheduled", r"set\s+up", r"organi[sz]e", r"arrange", r"book", r"plan",
                     r"follow[- ]?up", r"follow\s+up", r"let's", r"let\s+us"),
    actionable=words(r"will", r"'ll", r"need\s+to", r"have\s+to", r"must", r"should", r"to", r"let's",
                     r"going\s+to", r"plan(?:ned)?", r"want(?:s)?\s+to", r"would\s+like\s+to", r"scheduled",
                     r"booked", r"confirmed\s+for", r"could\s+we", r"can\s+we", r"shall\s+we", r"pls", r"please",
                     r"plz", r"reminder", r"upcoming", r"next"),
    past=words(r"(?:good|great|nice|productive|excellent|quick)\s+(?:intro\s+)?(?:meeting|meting|mtg|call|demo|lunch|chat)",
               r"met", r"had", r"was", r"were", r"went", r"happened", r"called", r"spoke", r"talked",
               r"discussed", r"visited", r"left", r"received", r"reviewed", r"liked",
               r"loved", r"ordered", r"introduced", r"did", r"attended", r"held", r"took\s+place", r"missed",
               r"cancell?ed", r"done", r"no\s+show", r"went\s+well", r"ago"),
    content_item=words(r"brochures?", r"price\s*-?lists?", r"pricing\s+sheets?", r"price\s+sheets?", r"rate\s+cards?",
                       r"data\s*-?sheets?", r"spec(?:ification)?\s+sheets?", r"specs", r"case\s+stud(?:y|ies)",
                       r"white\s*-?papers?", r"documentation", r"docs?", r"catalog(?:ue)?s?", r"references",
                       r"decks?", r"slides", r"presentation", r"onboarding\s+guide", r"guide", r"manuals?",
                       r"report", r"samples?", r"pricing", r"certificates?", r"documents?", r"paperwork", r"forms?",
                       r"w-?9", r"proof\s+of\s+insurance", r"templates?", r"one\s+pager", r"summary", r"summaries",
                       r"checklists?", r"guidelines", r"(?:logo|design|source)\s+files",
                       r"(?:reference|customer|price|feature)\s+lists?", r"statements?",
                       r"polic(?:y|ies)", r"declarations?", r"plans?\b", r"agenda",
                       r"(?:product|fact|spec|data)\s+sheets?", r"flyers?", r"leaflets?", r"price\s+book", r"e-?books?",
                       r"videos?", r"one-pager", r"literature", r"brochure"),
    content_request=words(r"send(?!\s+us\b)", r"share", r"forward", r"provide", r"asked\s+for",
                          r"ask(?:ing)?\s+for", r"ask\s+\w+\s+for",
                          r"requested", r"request", r"would\s+like", r"needs?\s+(?:the|a|an|our|your|some|more)\b",
                          r"wants?", r"copy\s+of", r"get\s+(?:me|them|us)",
                          r"e-?mail\s+(?:me|them|us|him|her)", r"pass\s+on"),
    content_done=words(r"sent", r"shared", r"forwarded", r"received", r"provided", r"attached"),
    issue=words(r"complain\w*", r"complaint", r"unhappy", r"not\s+happy", r"frustrat\w*", r"angry", r"upset",
                r"disappoint\w*", r"dissatisf\w*", r"bugs?", r"defect\w*", r"crash\w*", r"broken", r"fail\w*",
                r"errors?", r"outage", r"delay\w*", r"late", r"stuck", r"slip\w*", r"at\s+risk", r"risks?",
                r"threat\w*", r"escalat\w*", r"churn", r"may\s+not\s+renew", r"won't\s+renew", r"not\s+renew",
                r"pull(?:ing)?\s+the\s+plug", r"disput\w*", r"wrong", r"damaged", r"slow", r"too\s+expensive",
                r"overcharged", r"refund", r"concerns?", r"problems?", r"issues?(?!\s+(?:a|an|the|our|their)\b)",
                r"trouble", r"unresolved", r"unacceptable", r"poor\s+quality", r"not\s+working",
                r"(?:doesn't|does\s+not|don't|isn't|is\s+not)\s+work(?:ing)?", r"stopped\s+working", r"downtime",
                r"glitch\w*", r"incidents?", r"missing", r"annoyed", r"worried", r"irritated", r"fed\s+up",
                r"broke", r"behind\s+on", r"nervous", r"getting\s+cold\s+feet",
                r"(?:move|moving|switch\w*|go(?:ing)?|leav\w+)\s+(?:to|for)\s+(?:a\s+|the\s+|another\s+)?competitor",
                r"tim(?:ing|es|ed)\s+out", r"timeouts?", r"embarrass\w*", r"wrong\s+\w+",
                r"incorrect", r"inaccurate", r"lag\w*", r"freez\w*", r"unstable", r"unreliable",
                r"blockers?", r"blocked",
                r"on\s+hold", r"stalled", r"behind\s+schedule", r"past\s+due", r"chargeback", r"penalt(?:y|ies)",
                r"cancel\w*\s+(?:the\s+|their\s+|our\s+)?(?:contract|order|subscription|renewal)", r"downgrad\w*",
                r"budget\s+cuts?", r"layoffs?", r"defective", r"leak\w*", r"data\s+loss",
                r"lost\s+(?:data|files|orders)", r"furious", r"unpaid", r"overdue", r"not\s+impressed", r"blam\w+",
                r"pushed\s+(?:out|back)",
                r"(?:deal|project|go-live|launch|order|decision)\s+(?:\w+\s+)?pushed", r"budget\s+freeze"),
    issue_negation=words(r"no\s+(?:issues?|problems?|complaints?|risks?|delays?)",
                         r"no\s+\w+\s+(?:issues?|problems?)", r"not\s+a\s+problem",
                         r"resolved", r"fixed", r"without\s+(?:issues?|problems?)"),
    contact=words(r"introduce\s+(?:you|me|us)\s+to", r"let\s+me\s+introduce", r"new\s+contact", r"intro\s+from",
                  r"introduction\s+from", r"introduced\s+(?:us|me|him|her)\s+to", r"referral",
                  r"new\s+(?:\w+\s+){0,2}contact", r"loop\s+in", r"referred",
                  r"new\s+decision\s+maker",
                  r"new\s+(?:cfo|ceo|cto|cio|coo|vp|head|director|manager|buyer|champion)",
                  r"meet\s+(?:our|their|my)\s+new",
                  r"please\s+introduce", r"her\s+name\s+is", r"his\s+name\s+is"),
    due=words(r"by", r"before", r"due", r"no\s+later\s+than", r"until"),
    role=words(r"c[efitor]o", r"vp(?:\s+\w+)?", r"vice\s+president(?:\s+of\s+\w+)?", r"head\s+of\s+\w+",
               r"director(?:\s+of\s+\w+)?", r"\w+\s+director", r"\w+\s+manager", r"manager", r"buyer",
               r"procurement\s+lead", r"owner", r"founder", r"partner", r"engineer", r"architect", r"analyst",
               r"consultant"),
    title=words(r"mr\.?", r"mrs\.?", r"ms\.?", r"dr\.?"),
    stop_names=frozenset(
        "I Also Please Pls Let Let's New Contact Intro From Meet Call The Their Our My His Her Head Director VP "
        "CFO CEO CTO CIO COO Sales IT HR Manager Operations Procurement Finance Monday Tuesday Wednesday Thursday "
        "Friday Saturday Sunday Got Referral Hi Hello Thanks".split()
    ),
    contact_hint=words(r"contact", r"assistant", r"deputy", r"boss", r"wants\s+to\s+join", r"will\s+join",
                       r"joining", r"handles", r"in\s+charge\s+of", r"responsible\s+for",
                       r"reports\s+to", r"works\s+(?:for|with)", r"point\s+of\s+contact", r"poc", r"champion",
                       r"decision\s+maker", r"reach\s+(?:him|her)", r"cell", r"mobile"),
    delegation=re.compile(r"(?<![\w.])[A-Z][a-z]+\s+to\s+(?:" + _IMPERATIVE + r")\b"),
)

MARKERS = frozenset(
    "the and to with for on at is are we they them their our you your i it of in this that will be have has "
    "tomorrow today next last call meeting meet send please pls week about re w/ asked can could would "
    "customer need by before after from".split()
)
