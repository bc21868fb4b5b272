"""English intent lexicon (see :class:`connector.insights.notes.lexicon.Lexicon`)."""

from __future__ import annotations

import re

from connector.insights.notes.lexicon import Lexicon, words

_IMPERATIVE = (
    r"prepare|prep|send|update|draft|submit|finali[sz]e|renew|book|"
    r"e-?mail(?!\s+(?:from|received|thread|chain|exchange)\b)|follow[- ]?up|check|confirm|review|"
    r"remind|organi[sz]e|arrange|schedule|set\s+up|sign|create|write|fix|ask|share|forward|complete|"
    r"reply|get|chase|plan|invite|reserve|call|ring|phone|meet|visit|contact|reach\s+out|circle\s+back|"
    r"bring|put\s+together|pull\s+together|line\s+up|make\s+sure|find|build|figure\s+out|sort\s+out|hand\s+over|"
    r"collect|gather|compile|double-check|verify|validate|align|coordinate|clarify|negotiate|respond|answer|upload|"
    r"install|configure|try|look\s+into|investigate|research|analy[sz]e|register|sign\s+up|pay|extend|revise|amend|"
    r"edit|correct|finish|kick\s+off|nudge|ping|tell|inform|notify|propose|suggest|recommend|pitch|walk\s+through|"
    r"onboard|check\s+back|touch\s+base|connect\s+with|add|remove|chase\s+up|dig\s+into|obtain|secure|"
    r"sign\s+off\s+on|escalate|get\s+back\s+to|reach\s+back\s+to|reschedule|recap|summari[sz]e|prioriti[sz]e|"
    r"calculate|map\s+out|double\s+check|cross-check|re-?send|resubmit|re-?quote|loop\s+back\s+with|approve|assign|"
    r"attach|fill\s+(?:in|out)|return|resolve|apply|download|migrate|activate|provision|grant|reset|unlock|enable|"
    r"disable|present|thank|explain|evaluate|assess|compare|wrap\s+up|close\s+out|hand\s+off|pick\s+up|deliver|"
    r"countersign|discuss|request|settle|sort|arrange\s+for|look\s+at|go\s+over|run\s+through|"
    r"close\s+(?:the|this|that|out)|log|cancel|raise|lock\s+in|nail\s+down|draw\s+up|clean\s+up|tidy\s+up|"
    r"send\s+out|print|scan|double-book|order(?=\s+(?:lunch|food|catering|coffee|breakfast|dinner|drinks)\b)|"
    # Words that are nouns as often as verbs are verbs only before their object ("Issue a credit note").
    r"(?:issue|order|file|open|process|test|quote|invoice|ship|record|post|track|enter|note|price|"
    r"credit|refund|reissue|re-issue|log)(?=\s+(?:a|an|the|our|their|his|her|its|my|this|that|these|those|them|it|"
    r"him|up|out|\d)\b)"
)

LEXICON = Lexicon(
    appointment=words(r"pitch(?=\s+(?:at|@|meeting|session|to\s+(?:the\s+)?(?:board|committee|exec\w*|investors?)))",
                      r"meet", r"meeting", r"meetings", r"mtg", r"demo", r"lunch", r"dinner", r"breakfast",
                      r"coffee", r"visit", r"site\s+visit", r"sync", r"catch[- ]?up", r"check-in", r"workshop",
                      r"presentation", r"qbr", r"kick-?off",
                      r"appointment", r"appt", r"on-?site", r"webinar", r"get-together", r"drinks",
                      r"(?:quarterly|business|annual|account|design|project|monthly|weekly|pipeline)\s+review",
                      r"sessions?", r"(?:steering\s+)?committee", r"visio", r"video\s*conf\w*", r"board\s+meeting",
                      r"zoom", r"teams\s+meeting",
                      r"webex", r"skype", r"google\s+meet",
                      r"video\s+call", r"offsite", r"off-site",
                      r"interview", r"huddle", r"1:1", r"one-on-one", r"face-to-face", r"f2f", r"tour",
                      r"conference", r"walk-?through", r"deep[- ]dive", r"roundtable", r"briefing", r"stand-?up",
                      r"town\s*hall", r"summit", r"trade\s*show", r"expo", r"booth", r"sit[- ]down", r"in-?person",
                      r"face\s+to\s+face", r"training(?:\s+session)?", r"onboarding\s+session",
                      r"lunch\s*(?:&|and)\s*learn",
                      r"happy\s+hour", r"golf", r"get\s+together", r"meet-?up", r"demonstration", r"showcase",
                      r"review\s+meeting", r"kick\s+off\s+meeting", r"hangout", r"rendez-?vous", r"(?:time\s+)?slot",
                      r"(?:architecture|technical|tech|security|contract|budget|roadmap|solution|executive|exec|"
                      r"status|progress|performance|kick-?off)\s+(?:review|briefing|session|meeting)",
                      r"exec(?:utive)?\s+briefing", r"lunch\s+meeting", r"dinner\s+meeting"),
    call=words(r"phone\s+(?:screen|interview)",
               r"call(?!\s+(?:notes?|logs?|recordings?|summary|summaries|reports?|transcripts?|minutes|cent(?:er|re)s?|"
               r"lists?|scripts?|volumes?|quality))",
               r"calls", r"ring", r"phone", r"callback", r"call-?back", r"by\s+phone", r"on\s+the\s+phone",
               r"dial", r"give\s+\w+\s+a\s+(?:call|ring|buzz)"),
    task=words(r"i'll", r"i\s+will", r"we'll", r"we\s+will", r"need\s+to", r"needs\s+to", r"have\s+to", r"has\s+to",
               r"must", r"remember\s+to", r"don't\s+forget\s+to", r"(?<!nothing\s)to\s*-?\s*do", r"todo", r"reminder",
               r"action\s+item",
               r"(?:legal|finance|procurement|it|ops|sales|support|marketing|team|engineering|product|he|she|they)"
               r"\s+(?:needs?\s+|has\s+|have\s+)?to\s+(?:review|sign|approve|confirm|send|check|validate|update)",
               r"(?:wants?|expects?|waiting\s+for|awaiting)\s+(?:a|an|our|the)\s+"
               r"(?:proposal|quote|offer|contract|estimate)", r"needs?\s+(?:a|an)(?=\s)", r"follow[- ]?up\s+with",
               r"follow\s+up\s+on", r"ought\s+to", r"gotta", r"needs?\s+(?:(?:a|an|the|our)\s+)?(?:[\w-]+\s+){1,2}from",
              r"action(?:\s+item)?\s*:", r"ai\s*:", r"remember\s*:", r"don't\s+forget\s*:", r"(?:is|are)\s+on\s+me",
              r"i'm\s+(?:going\s+to|gonna)", r"we're\s+(?:going\s+to|gonna)", r"i\s+owe\s+(?:them|him|her)",
              r"make\s+sure\s+to", r"be\s+sure\s+to",
              r"(?:can|could|would)\s+you\s+(?:please\s+|pls\s+)?(?:" + _IMPERATIVE + r")",
              r"(?:needs?|has|have|is|are|still)?\s*to\s+be\s+(?:re-?)?(?:counter)?(?:signed|sent|reviewed|approved|"
              r"returned|completed|filled\s+(?:in|out)|submitted|renewed|updated|finali[sz]ed|validated|confirmed|"
              r"prepared|delivered|shipped|paid|invoiced|processed|fixed|drafted|checked)",
              r"(?:pending|awaiting)\s+(?:our|my)\s+\w+"),
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
                       r"videos?", r"one-pager", r"literature", r"brochure",
                       r"roadmap", r"road\s+map", r"terms(?:\s+(?:and|&)\s+conditions)?", r"t\s*&\s*cs?", r"t&c",
                       r"warranty(?:\s+\w+)?", r"sla", r"soc\s*-?\s*[12](?:\s+(?:type\s+(?:1|2|i|ii)\s+)?report)?",
                       r"iso\s*\d+(?:\s+cert\w*)?", r"release\s+notes", r"faqs?", r"benchmarks?", r"testimonials?",
                       r"recordings?", r"replay", r"overview", r"comparison(?:\s+\w+)?",
                       r"roi\s+(?:calculator|analysis|study)",
                       r"tco\s+(?:analysis|calculator)", r"(?:api|integration|user|installation|admin|setup|"
                       r"quick-?start|"
                       r"implementation|security|compliance|technical|tech)\s+(?:docs?|documentation|guides?|overview|"
                       r"whitepaper|pack|package|specs?|details|info|information)", r"info\s+pack", r"press\s+kit",
                       r"sample\s+\w+", r"(?:logo|brand)\s+guidelines", r"specimen", r"demo\s+video",
                       r"(?:the|a)\s+link\s+to\s+(?:the|our)\s+\w+", r"materials?", r"collateral", r"content",
                       r"customer\s+references?", r"reference\s+(?:customers?|accounts?|letters?)",
                       r"copy\s+of\s+(?:the|our|their|a|an|your)\s+[\w-]+"),
    content_request=words(r"send(?!\s+us\b)", r"share", r"forward", r"provide", r"asked\s+for",
                          r"ask(?:ing)?\s+for", r"ask\s+\w+\s+for",
                          r"requested", r"request", r"would\s+like", r"needs?\s+(?:the|a|an|our|your|some|more)\b",
                          r"wants?", r"copy\s+of",
                          r"(?:she|he|they|we|i)'d\s+(?:also\s+|really\s+)?(?:like|love)", r"get\s+(?:me|them|us)",
                          r"e-?mail\s+(?:me|them|us|him|her)", r"pass\s+on",
                          r"mail", r"e-?mail", r"send\s+(?:over|across|through)", r"pass\s+along", r"requesting",
                          r"requests?", r"looking\s+for", r"interested\s+in", r"would\s+love", r"could\s+use",
                          r"drop\s+(?:them|him|her)", r"shoot\s+(?:them|him|her|over)", r"get\s+(?:him|her)",
                          r"ask(?:ed|ing|s)?\s+(?:us\s+)?(?:for|about)", r"can\s+(?:you|we)\s+send",
                          r"hand\s+over", r"deliver", r"supply", r"shoot", r"appreciate",
                          r"ask(?:ed|s)?\s+(?:if|whether)", r"(?:do|did)\s+we\s+have", r"any\s+chance",
                          r"could\s+(?:they|we|you)\s+get"),
    content_done=words(r"sent", r"shared", r"forwarded", r"received", r"provided", r"attached", r"signed",
                       r"(?:before|until|once)\s+(?:we|i)\s+(?:can\s+)?(?:share|send)"),
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
                r"(?:deal|project|go-live|launch|order|decision)\s+(?:\w+\s+)?pushed", r"budget\s+freeze",
                r"postpon\w*", r"push(?:ed|ing)?\s+back", r"duplicat\w*", r"double[- ]?(?:charged|billed|billing)",
                r"overbill\w*", r"billing\s+(?:error|issue|mistake)", r"discrepanc\w*", r"mismatch\w*",
                r"vulnerabilit\w*", r"security\s+(?:hole|flaw|breach|gap)", r"breach\w*", r"flaw\w*", r"regression",
                r"intermittent\w*", r"keeps?\s+(?:crashing|failing|dropping|breaking|freezing)",
                r"(?:can't|cannot|can\s+not|couldn't|unable\s+to)\s+(?:log\s*in|login|access|connect|sign\s+in|use|"
                r"open|load|print|export|import|sync|see)", r"impatient", r"losing\s+patience", r"pissed",
                r"not\s+(?:satisfied|pleased)", r"bad\s+experience", r"worse",
                r"pushback", r"hesitant", r"reconsider\w*", r"shopping\s+around",
                r"(?:evaluating|looking\s+at|talking\s+to)\s+(?:\w+\s+)?(?:competitors?|alternatives?|other\s+vendors?)",
                r"missed\s+(?:the\s+|our\s+|their\s+)?(?:deadline|sla|delivery|milestone|target|date|go-live)",
                r"sla\s+(?:breach|miss\w*|violation)", r"(?:never|hasn't|has\s+not|haven't|didn't|not\s+yet)\s+"
                r"(?:arrived|been\s+delivered|received|shipped|paid)", r"not\s+(?:delivered|paid)", r"lost\s+shipment",
                r"faulty", r"malfunction\w*", r"out\s+of\s+stock", r"back-?order\w*", r"shortages?", r"bottlenecks?",
                r"understaffed", r"non-?payment", r"late\s+payment", r"still\s+(?:not|hasn't|haven't)\s+\w+",
                r"legal\s+action", r"lawsuit", r"refus\w*", r"terminat\w+", r"paused", r"frozen", r"rma",
                r"warranty\s+claim", r"returns?\s+request", r"(?:price|pricing)\s+(?:increase|hike)",
                r"unhappy", r"angry", r"bad\s+(?:reviews?|feedback)", r"negative\s+feedback", r"red\s+flags?",
                r"hiccups?", r"snags?", r"setbacks?", r"vulnerable", r"insecure", r"unusable", r"outdated",
                r"inconsisten\w*", r"corrupt\w*", r"overdue", r"overrun\w*", r"over\s+budget",
                r"churn(?:ed|ing)?", r"walk(?:ing)?\s+away"),
    issue_negation=words(r"no\s+(?:issues?|problems?|complaints?|risks?|delays?)",
                         r"no\s+\w+\s+(?:issues?|problems?)", r"not\s+a\s+problem",
                         r"resolved", r"fixed", r"without\s+(?:issues?|problems?)"),
    contact=words(r"introduce\s+(?:you|me|us)\s+to", r"let\s+me\s+introduce", r"new\s+contact", r"intro\s+from",
                  r"introduction\s+from", r"introduced\s+(?:us|me|him|her)\s+to", r"referral",
                  r"new\s+(?:\w+\s+){0,2}contact", r"loop\s+in", r"referred",
                  r"new\s+decision\s+maker",
                  r"new\s+(?:cfo|ceo|cto|cio|coo|vp|head|director|manager|buyer|champion)",
                  r"meet\s+(?:our|their|my)\s+new",
                  r"please\s+introduce", r"her\s+name\s+is", r"his\s+name\s+is",
                  r"(?:put|got|get|puts)\s+(?:me|us|you)\s+in\s+touch\s+with", r"connected\s+(?:me|us)\s+with",
                  r"introduced\s+(?:me|us)?", r"intro(?:duction)?\s+to", r"new\s+(?:point\s+of\s+contact|poc)",
                  r"new\s+(?:[\w-]+\s+){0,3}(?:manager|director|officer|lead|head|buyer|engineer|analyst|assistant|"
                  r"coordinator|specialist|administrator|admin|rep|representative|president|vp|controller|counsel|"
                  r"sponsor|owner|champion|architect|consultant|stakeholder|decision[- ]maker|hire|ciso|cmo|cro)",
                  r"(?:replac\w+|succeed\w*|took\s+over|taking\s+over|has\s+taken\s+over|successor)",
                  r"(?:now|will\s+be)\s+(?:handles?|handling|in\s+charge|responsible|our\s+contact|the\s+contact|"
                  r"the\s+main\s+contact|our\s+main\s+contact)",
                  r"(?:should|wants\s+to|asked\s+to)\s+be\s+(?:cc'?d|copied|included|looped\s+in)",
                  r"(?:cc|loop|copy)\s+in", r"joined\s+(?:the\s+team|them|as)", r"contact\s+details",
                  r"(?:can\s+be\s+)?reached\s+at", r"reach\s+(?:him|her|them)\s+at", r"point\s+of\s+contact",
                  r"takes?\s+over", r"will\s+replace", r"handing\s+over\s+to", r"handed\s+over\s+to",
                  r"(?:our|their|the)\s+new\s+contact",
                  r"(?:lead|manager|director|head|contact|buyer|owner|sponsor|champion|cfo|ceo|cto|cio|vp|admin)\s+"
                  r"(?:is|will\s+be)\s+now"),
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
    delegation=re.compile(r"(?<![\w.])(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|(?:January|February|March|April|"
                          r"June|July|August|September|October|November|December|Today|Tomorrow|Time|Need|Want|"
                          r"Going|Plan|Reminder)\b)[A-Z][a-z]+\s+to\s+(?:" + _IMPERATIVE + r")\b"),
)

MARKERS = frozenset(
    "the and to with for on at is are we they them their our you your i it of in this that will be have has "
    "tomorrow today next last call meeting meet send please pls week about re w/ asked can could would "
    "customer need by before after from".split()
)
