"""English cues for personal topics.

Each topic has *strong* terms (almost always personal when they occur: "my daughter", "knee
surgery"), *weak* terms (personal only with a first-person cue and no business context: "holiday",
"family", "game") and *traps*: business collocations ("family of products", "holiday inventory",
"health of the project") whose words never count. Patterns are regular-expression fragments matched
case-insensitively on word boundaries.
"""

from __future__ import annotations

from connector.insights.talking_points.vocab_en import STRONG_MORE, TRAPS_MORE, WEAK_MORE, YIELDS  # noqa: F401 - YIELDS is part of the lexicon

STRONG: dict[str, tuple[str, ...]] = {
    "family": (
        r"(?:my|our)\s+(?:daughters?|sons?|kids?|children|child|baby|wife|husband|spouse|partner|fianc[ée]e?|"
        r"mother|mom|mum|father|dad|parents?|sisters?|brothers?|siblings?|in-laws?|mother-in-law|father-in-law|"
        r"grandchildren|grandkids?|grandsons?|granddaughters?|grandma|grandpa|grandparents?|grandmother|"
        r"grandfather|niece|nephew|twins|toddler|newborn|family|eldest|youngest|oldest|little\s+ones?|teenagers?)",
        r"(?:daughter|son|wife|husband|kids?|children|baby|mother|father|parents|sister|brother|"
        r"in-laws)'s?\s+(?:birthday|wedding|graduation|game|match|school|first|party|recital|concert)",
        r"grandpa\s+duty|paternity\s+leave|maternity\s+leave|parental\s+leave|baby\s+(?:girl|boy)|"
        r"(?:is|was)\s+born|newborn|expecting\s+a\s+baby|school\s+run|bedtime\s+stor(?:y|ies)",
        r"(?:my|our)\s+(?:\w+\s+)?(?:daughter|son|kids|children|wife|husband|parents|family)",
        r"the\s+kids\s+(?:were|are|have|had|got)|(?:taking|take|took)\s+the\s+kids|with\s+the\s+(?:kids|family)|the\s+whole\s+family",
        r"my\s+(?:\w+\s+)?(?:daughter|son|kids|wife|husband|mother|father|sister|brother|grandchildren)",
    ),
    "sports": (
        r"sportive|gran\s+fondo|(?:cycled|rode|ran)\s+(?:the\s+)?(?:\w+\s+){0,3}?\d+|champions\s+league|(?:watched|watching|watch)\s+the\s+(?:\w+\s+){0,3}?(?:final|match|game|race|grand\s+prix)|"
        r"(?:playing|played|play)\s+(?:five-a-side\s+|some\s+)?(?:football|soccer|tennis|golf|rugby|basketball|"
        r"squash|padel|cricket|hockey|volleyball)|five-a-side|(?:half[-\s])?marathon|triathlon|(?:ran|run|running)\s+(?:my\s+first\s+|a\s+)?\d+\s?k\b|personal\s+best|"
        r"(?:swimming|tennis|golf|ski|surf|riding|climbing|skating)\s+lessons?|six\s+nations|tour\s+de\s+france|"
        r"wimbledon|roland[-\s]garros|bouldering|"
        r"(?:volleyball|basketball|soccer|football|hockey|rugby|baseball|softball)\s+team\s+(?:made|won|lost|is)|(?:play(?:ed|ing)?|watch(?:ed|ing)?|went\s+to)\s+"
        r"(?:the\s+)?(?:tennis|golf|football|soccer|basketball|baseball|hockey|rugby|cricket|volleyball|softball|"
        r"squash|padel|badminton)",
        r"tennis\s+(?:match|tournament|lesson)|golf\s+(?:with|this|last|on)|skiing|ski\s+trip|snowboarding|"
        r"(?:hockey|soccer|football|basketball|baseball|rugby|softball)\s+(?:game|match|practice|season|final)",
        r"super\s+bowl|world\s+cup|the\s+playoffs|world\s+series|stanley\s+cup|champions\s+league|olympics|"
        r"walk-off|home\s+run|hit\s+a\s+double|scored\s+a\s+goal|fourth\s+quarter|overtime\s+win",
        r"(?:celtics|lakers|yankees|red\s+sox|patriots|chiefs|eagles|cowboys|warriors|knicks|giants|dodgers|"
        r"arsenal|chelsea|liverpool|man(?:chester)?\s+united|real\s+madrid|barcelona)\b",
        r"(?:went|go|going)\s+(?:running|cycling|swimming|surfing|climbing|hiking|skiing)|hiking\s+trip|"
        r"i\s+(?:swim|run|cycle|ride)\s+every|(?:bike|cycling)\s+race|yoga\s+class|at\s+the\s+gym",
        r"(?:won|lost)\s+the\s+(?:game|match|final|league)|what\s+a\s+(?:game|match)|"
        r"(?:tennis|golf|chess)\s+tournament|league\s+final|the\s+semi-finals",
    ),
    "vacation": (
        r"(?:on|from|my|our|a|the)\s+(?:vacation|holidays?)\b(?!\s+(?:inventory|season|schedule|sales|campaign|"
        r"rush|period|coverage|calendar|stock|orders?))",
        r"off\s+(?:skiing|hiking|camping|surfing|sailing)\s+in|(?:long\s+)?weekend\s+(?:away\s+)?in\s+[A-Z]\w*|honeymoon|spring\s+break|backpacking|(?:two|three|four|a\s+couple\s+of)\s+weeks\s+(?:of|in)\b|"
        r"(?:days?|week|weeks)\s+off\s+to\s+(?:go|visit|travel)|visiting\s+(?:my|our)\s+[\w-]+\s+in\s+[A-Z]\w*|(?:ski|beach|road|camping|hiking)\s+trip|"
        r"(?:we|i)(?:'re|'m|\s+are|\s+am|\s+were|\s+was)?\s+(?:heading|going|flying|off)\s+to\s+(?:the\s+)?[A-Z]\w*",
        r"(?:trip|holiday|vacation|flew|flying|travel+ed|going|went|heading|off|visiting|back\s+from|weeks?|"
        r"days)\s+(?:\w+\s+){0,3}?(?:to|in|from|through|around)\s+(?:the\s+)?(?:greece|italy|spain|portugal|"
        r"france|japan|vietnam|thailand|mexico|croatia|iceland|morocco|bali|sicily|sardinia|corsica|tuscany|"
        r"provence|naples|rome|venice|barcelona|lisbon|crete|santorini|hawaii|caribbean|maldives|costa\s+rica|"
        r"peru|new\s+zealand|australia|kenya|tanzania|alps|rockies|scotland|ireland|norway|cuba|bahamas|cancun|"
        r"tokyo|kyoto|bangkok|greek\s+islands|dolomites)|greetings\s+from|just\s+(?:landed|got\s+back)\s+from|back\s+from\s+(?:a|our|my)\s+(?:week|trip|holiday|"
        r"vacation|two|few)|(?:week|trip)\s+(?:of\s+\w+\s+)?in\s+[A-Z]\w*",
        r"rented\s+a\s+(?:cottage|house|cabin|villa|chalet)|(?:first|real)\s+(?:holiday|vacation)|"
        r"first\s+time\s+in\s+[A-Z]\w*|(?:the\s+)?trip\s+was|taking\s+the\s+kids\s+to|"
        r"(?:days|week|weeks)\s+of\s+camping|(?:can't|cannot)\s+wait\s+to\s+disconnect",
    ),
    "health": (
        r"doctor's\s+orders|after\s+the\s+procedure|had\s+a\s+(?:bad\s+|nasty\s+)?fall|(?:minor|small|routine|an)\s+(?:operation|surgery|procedure)|"
        r"wisdom\s+teeth|(?:teeth|tooth)\s+(?:out|pulled|removed)|food\s+poisoning|chicken\s?pox|measles|tonsillitis|appendicitis|stomach\s+bug|under\s+the\s+weather|"
        r"(?:chest|ear|sinus|throat)\s+infection|(?:tore|torn|pulled|ruptured)\s+(?:a|my)\s+(?:\w+\s+)?"
        r"(?:ligament|muscle|tendon|hamstring|meniscus)|fractured?|concussion|migraine|antibiotics|"
        r"(?:in|at|to)\s+(?:the\s+)?(?:a&e|er|emergency\s+room)|mri\s+scan|x-ray|stitches|"
        r"recovering\s+from\s+(?:a|an|the|my)\s+(?:bout\s+of\s+)?\w+",
        r"(?:knee|hip|back|shoulder|heart|eye)\s+(?:surgery|operation|replacement|injury|problems?)|"
        r"my\s+(?:surgery|operation|doctor|physio|recovery)|(?:had|having)\s+(?:an?\s+)?(?:surgery|operation)",
        r"(?:the|a|nasty|bad)\s+(?:flu|cold|fever|migraine|covid)|(?:with|had|got|caught)\s+(?:the\s+)?"
        r"(?:flu|covid|cold|fever)|off\s+sick|home\s+sick|(?:was|been|is|were)\s+(?:sick|ill|in\s+hospital)|"
        r"in\s+the\s+hospital",
        r"broke\s+my\s+\w+|(?:my\s+)?back\s+(?:has\s+been\s+)?killing\s+me|back\s+pain|sprained\s+my|recovering\s+(?:at\s+home|from\s+(?:surgery|an?\s+(?:\w+\s+)?(?:injury|operation|illness)|the\s+flu|covid))|physio(?:therapy)?|crutches|"
        r"feeling\s+(?:much\s+)?(?:better|unwell)|doctor\s+told\s+me|back\s+injury|chemotherapy|diagnosed",
    ),
    "entertainment": (
        r"(?:in|at)\s+the\s+west\s+end|went\s+to\s+see\s+[A-Z]\w*|(?:got\s+round\s+to|started|finished|been|love|loved)\s+watching\s+[A-Z]\w*|"
        r"(?:listening\s+to|listened\s+to)\s+(?:a|an|the)\s+(?:great\s+|new\s+)?(?:podcast|audiobook|album)|"
        r"(?:watched|binged|saw|seen|caught\s+up\s+on|finished)\s+(?:the\s+)?(?:new\s+)?(?:[A-Z][\w']*|movie|film|"
        r"series|season|show|episodes?|documentary)|(?:new|first|whole)\s+season|episodes?\s+last\s+night",
        r"(?:the|a|new)\s+(?:\w+\s+)?(?:movie|film)\b|(?:in|at|to)\s+the\s+(?:cinema|theatre|theater|movies)|in\s+imax|"
        r"on\s+broadway|(?:live\s+)?(?:concert|gig)\b|saw\s+\w+(?:\s+\w+)?\s+live",
        r"(?:a|an|the)\s+(?:great\s+|good\s+|brilliant\s+)?(?:thriller|novel|book|memoir|biography)\s+by\s+[A-Z]\w*|"
        r"started\s+watching|(?:on|into)\s+season\s+\w+|"
        r"(?:i'm|i\s+am|i've\s+been|i)\s+(?:reading|read|listening\s+to)\s+(?:the\s+|a\s+)?(?:book|novel|"
        r"['\"‘“]\w*|[A-Z]\w*)|(?:a\s+)?(?:great|fun|good|brilliant)\s+(?:book|novel|read)\b|couldn't\s+put\s+it\s+down|new\s+album|"
        r"podcast\s+(?:about|on)|to\s+see\s+[A-Z]\w+\s+on\s+broadway",
    ),
    "food": (
        r"(?:lebanese|thai|italian|indian|japanese|korean|mexican|vietnamese|chinese|greek|moroccan|ethiopian|turkish|french|spanish|peruvian)\s+(?:place|restaurant|spot|bistro|food|takeaway)|mezze|"
        r"recipe|(?:homemade|home-made)\s+\w+|sourdough|baked\s+(?:a|some)|cooking\s+(?:a|for)|i'm\s+cooking|"
        r"(?:big|huge)\s+(?:paella|cake|barbecue|dinner)|barbecue|bbq|(?:korean|thai|indian|italian|japanese|"
        r"mexican|french)\s+(?:food|barbecue|cuisine|restaurant)",
        r"(?:ramen|sushi|pizza|pasta|tapas|taco|burger|steak|wine|cheese)\s+(?:place|bar|restaurant|tasting)|"
        r"the\s+(?:restaurant|dinner|lunch)\s+you\s+recommended|you\s+have\s+to\s+try|"
        r"wine\s+(?:you'd|would\s+you)\s+recommend|all\s+the\s+cooking|"
        r"(?:devoured|ate)\s+(?:the|a)\s+(?:whole|entire)",
    ),
    "hobbies": (
        r"woodturning|woodwork|birdhouse|treehouse|(?:in|at)\s+my\s+shed|building\s+a\s+(?:model|boat|shed|"
        r"table|kayak|guitar)|learning\s+(?:to\s+speak\s+)?(?:italian|spanish|french|german|japanese|mandarin|portuguese|arabic|"
        r"a\s+new\s+language)|duolingo|(?:salsa|tango|swing|ballroom)\s+danc\w*|houseplants|repotting|"
        r"(?:my|a)\s+(?:new\s+)?(?:hobby|obsession|passion)|vinyl|flea\s+markets?|collecting\s+\w+|"
        r"(?:my|a)\s+(?:new\s+)?hobby|took\s+up|got\s+back\s+into|(?:in|at)\s+my\s+(?:garden|workshop)|"
        r"(?:planting|gardening|woodworking|knitting|pottery|painting\s+class|photography|birdwatching|"
        r"fishing|caught\s+(?:a|her|his|my)\s+(?:\w+\s+)?(?:first\s+)?(?:fish|trout|bass|salmon))",
        r"(?:at|to)\s+my\s+piano|learn(?:ing)?\s+(?:to\s+play\s+)?(?:the\s+)?(?:piano|guitar|violin|a\s+\w+\s+"
        r"nocturne)|my\s+(?:guitar|piano)\s+lesson|building\s+in\s+my\s+garage|(?:my|a)\s+class\s+on\s+\w+day|"
        r"(?:my|the)\s+book\s+club|chess\s+club|choir\s+rehearsal",
    ),
    "celebrations": (
        r"(?:my|our|his|her|your|their|\d+(?:st|nd|rd|th))\s+(?:[\w'’]+\s+)?birthday|birthday\s+(?:party|cake|dinner)|"
        r"surprise\s+\d+(?:st|nd|rd|th)\b|birthday\s+wishes|happy\s+birthday|(?:got|just\s+got|we\s+got)\s+engaged|turned\s+(?:\w+|\d+)\s+(?:yesterday|today|last)",
        r"(?:got|getting|get)\s+married|(?:our|my|the|his|her|their)\s+wedding\b(?!\s+venue\s+client)|"
        r"wedding\s+anniversary|(?:our|my)\s+anniversary",
        r"rang\s+(?:it|in\s+the\s+new\s+year)|baby\s+shower|merry\s+christmas|christmas\s+eve|(?:hosted|celebrated|spent)\s+(?:thanksgiving|christmas|easter|"
        r"new\s+year|hanukkah|diwali|eid)|thanksgiving\s+(?:dinner|for)|surprise\s+party|"
        r"(?:had|threw|throw|hosting|planned)\s+(?:a|an)\s+(?:\w+\s+)?party|graduation\s+party",
    ),
}

WEAK: dict[str, tuple[str, ...]] = {
    "family": (
        r"family|families|kids|children|daughters?|sons|wife|husband|toddler|twins|youngest|eldest|"
        r"grandkids|grandchildren|in-laws|cousins?|aunt|uncle|stepson|stepdaughter|fianc[ée]e?|niece|nephew|"
        r"mum|mom|dad|parents|sister|brother|baby|newborn|godson|goddaughter",
    ),
    "sports": (
        r"games?|match(?:es)?|tournament|stadium|race|running|cycling|cycled|bike|biking|swim(?:ming)?|golf|"
        r"tennis|football|soccer|rugby|basketball|baseball|hockey|cricket|volleyball|skiing|ski|snowboard(?:ing)?|"
        r"surf(?:ing)?|climbing|bouldering|hiking|hike|yoga|pilates|gym|workout|marathon|triathlon|padel|"
        r"squash|sailing|rowing|kayak(?:ing)?|boxing|martial\s+arts|karate|judo|cheering|playoffs|league|"
        r"season\s+ticket|six\s+nations|wimbledon|tour\s+de\s+france|nba|nfl|nhl|premier\s+league|formula\s+(?:1|one)",
    ),
    "vacation": (
        r"vacation|holidays?|trip|(?:at|on|to)\s+the\s+beach|cottage|camping|backpacking|cruise|resort|getaway|"
        r"sightseeing|abroad|road\s+trip|(?:a|one|two|three)\s+weeks?\s+in",
    ),
    "health": (
        r"health|sick|ill|illness|hospital|doctor|surgery|injury|injured|covid|flu|migraine|headache|fever|"
        r"cold|cough|allergy|allergies|dentist|back\s+pain|accident|stitches|cast|recovery|physio|"
        r"antibiotics|medication|sprained|broken\s+\w+|concussion|pneumonia|bronchitis|tonsillitis",
    ),
    "entertainment": (
        r"audiobooks?|movie|movies|film|films|series|season|episodes?|book|books|novel|concert|album|songs?|playlist|"
        r"on\s+repeat|show|theatre|theater|musical|opera|podcast|documentary|festival|gig|netflix|hbo|"
        r"disney\+?|spotify|exhibition|museum|comedy\s+club|stand-up",
    ),
    "food": (
        r"dinner|lunch|brunch|restaurant|cooking|cook|baking|bake|cake|paella|wine|pasta|pizzas?|sushi|ramen|"
        r"curry|tacos?|burgers?|steak|cheese|bread|croissants?|chocolate|dessert|recipe|dish|meal|chef|"
        r"injera|dumplings|noodles|ravioli|risotto|barbecue|bbq|tapas|delicious|tasty|cuisine|foodie|"
        r"cocktails?|craft\s+beer|coffee\s+shop|bakery",
    ),
    "hobbies": (
        r"gardening|photography|fishing|painting|watercolou?rs?|drawing|sketching|piano|guitar|violin|drums|"
        r"hobby|hobbies|woodworking|knitting|crochet|sewing|pottery|ceramics|chess|birdwatching|"
        r"model\s+trains|lego|restoring|restoration|carpentry|diy|weekend\s+project|choir|singing\s+lessons|"
        r"stamp\s+collecting|collecting|calligraphy|beekeeping|astronomy",
    ),
    "celebrations": (
        r"party|wedding|birthday|anniversary|christmas|thanksgiving|celebrat\w+|married|new\s+year'?s?(?:\s+eve)?|"
        r"easter|hanukkah|diwali|eid|ramadan|passover|halloween|graduation|baby\s+shower|engagement|"
        r"engaged|bachelor(?:ette)?\s+party|christening|bar\s+mitzvah|housewarming",
    ),
}

TRAPS: dict[str, tuple[str, ...]] = {
    "family": (
        r"family\s+of\s+\w+|product\s+family|family[-\s]owned|family\s+offices?|family\s+business(?:es)?|"
        r"(?:your|their|his|her)\s+(?:\w+\s+)?(?:wife|husband|kids|children|family|daughter|son|parents|mum|mom|"
        r"mother|father|dad|sister|brother)(?:'s)?",
    ),
    "sports": (
        r"(?:concert|gig|show)\s+at\s+the\s+stadium|sports?\s+(?:equipment|category|nutrition|goods|brand|retailer|apparel|drinks?)|"
        r"(?:league|club|team)'s\s+ticketing|golf\s+tournament(?:'s)?\s+sponsor|sponsorship\s+package|"
        r"game\s+plan|level\s+(?:the\s+)?playing\s+field|ballpark|drop(?:ped)?\s+the\s+ball|"
        r"marathon,?\s+not\s+a\s+sprint|game[-\s]changer|sports?\s+league\s+app|stadium\s+project|team\s+(?:hit|did|will|needs?)|the\s+team\b",
    ),
    "vacation": (
        r"holiday\s+(?:inventory|season|schedule|sales|campaign|rush|period|coverage|calendar|stock|orders?)|"
        r"travel\s+(?:policy|expense|agency|agencies|booking)|vacation\s+rental|spring\s+break\s+is|"
        r"(?:after|before|until|post)\s+the\s+holidays|holiday\s+(?:freeze|pay|accruals?|entitlement|rota|roster|cover|planner)",
    ),
    "health": (
        r"health\s+of\s+(?:our|the|your|their|this)\s+(?!family|kids|son|daughter|wife|husband|mother|father|"
        r"parents)\w+|health\s+and\s+safety|health\s+of\s+the\s+(?:project|business|pipeline|company|account)|financial\s+health|"
        r"health\s+(?:insurance|check\s+of|score|care\s+(?:provider|system))|healthy\s+(?:margin|pipeline|eating)|"
        r"health\s+systems|patient\s+(?:portal|scheduling)|the\s+hospital's",
    ),
    "entertainment": (
        r"watch(?:ed|ing)?\s+the\s+(?:\w+\s+){0,3}?(?:final|match|game|race|grand\s+prix)|book\s+value|order\s+book|book\s+of\s+business|holiday\s+season|entertainment\s+division|streaming\s+(?:platform|royalties)|movie\s+theatre\s+chain|"
        r"(?:watched|saw)\s+the\s+(?:recording|webinar|demo|presentation)|case\s+study|music\s+streaming|"
        r"trade\s+show|show\s+(?:floor|booth)",
    ),
    "food": (
        r"food\s+(?:service|for\s+thought|delivery|sector|distributor)|healthy\s+eating|catering\s+invoice|"
        r"bread\s+and\s+butter|piece\s+of\s+cake|restaurant\s+and\s+food",
    ),
    "hobbies": (r"fishing\s+for|garden\s+(?:centre|center)\s+(?:chain|client)",),
    "celebrations": (
        r"easter\s+(?:break|holidays?)|birthday\s+campaign|anniversary\s+(?:promotion|pricing|sale|offer)|celebrate\s+the\s+(?:signature|launch|deal|win)|"
        r"wedding\s+venue|launch\s+party\s+budget",
    ),
}

FIRST_PERSON = (
    r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself)\b"
    # Diary style drops the subject: "Just got back from Crete", "Ran the Berlin marathon", "Off to Dublin".
    r"|^\W*(?:(?:just|finally|also|still|only\s+just|recently)\s+)?(?:got|went|spent|had|ran|rode|cycled|swam|"
    r"took|finished|started|made|tried|watched|saw|booked|back|off|heading|flying|been|loving|enjoying|caught|"
    r"binged|baked|cooked|celebrated|visited|landed|arrived|broke|sprained|tore|picked\s+up|joined)\b"
)
PLURAL_PERSON = r"\b(?:we|we're|we've|our|us)\b"
BUSINESS = (
    r"\b(?:orders?|invoices?|quotes?|quotation|contracts?|po|purchase\s+order|pricing|price\s+list|skus?|inventory|"
    r"stock|campaign|customers?|clients?|sponsor(?:ship)?|platform|segment(?:ation)?|division|budget|pilot|"
    r"project|warehouse|deliver(?:y|ies)|vendors?|licen[cs]es?|solution|roadmap|revenue|margin|sales|"
    r"marketing|shipments?|shipped|dashboard|launch(?:ing)?|products?|portfolio|promotion|discount|"
    r"agreement|suppliers?|distributor|insurance|policy|support\s+coverage|webinar|uplift|demo\s+units?|"
    r"sso|integration|rfp|bid|tender|compliance|reimburse|expense|sow|nda|qbr|kick-off|go-live|outage|"
    r"service\s+level|migration|milestones?|reference\s+customer|case\s+study|partnership|loyalty|tenant|seats|payroll|"
    r"connector|cluster|latency|nodes?|servers?|database|creative|banners?|proposal|clause|legal|territory|"
    r"accruals?|rollout|roll-out|deployment|release|freeze|renewal|forecast|quarterly|review|kpis?|roi|"
    r"procurement|onboarding|api|oauth|app|tool|upgrade|subscription|plan\s+pricing|headcount|payments?|"
    r"shipping|logistics|retail|wholesale|channel|b2b|crm|erp|support\s+tickets?|ticketing|sla|escalation|vendor|office|workshop|admins?|"
    r"offsite|summit|conference|pay\s+rules|tier|credit\s+application|production\s+company|users|audit|assets|forecasts?|"
    r"volumes?|connectors?|report|quarter|stores|trading|(?:opening|trading|business|office|working)\s+hours|"
    r"registry|briefing|executive|catalog(?:ue)?|module|addendum|hipaa|analytics|reps|staffing|call\s+cent(?:er|re)|"
    r"cost\s+cent(?:re|er)|fiscal|board\s+meeting|steering|committee|stakeholders?|deadline|deliverables?|"
    r"licensing|pipeline|lead\s+time|finance|procurement|countersignature|"
    r"reconcile|fraud|betting|publishing|hr|staff|badges?|scanners?|registrations?|hq|headquarters|"
    r"site\s+visit|trade\s+shows?|expo|your\s+team(?:'s)?|record\s+(?:quarter|year|month)|go-live|trial|"
    r"implementation|customer\s+event|categor(?:y|ies)|peak\s+(?:season|period)|(?<!all\s)(?<!on\s)accounts?|operators?|templates?|assets?)s?\b"
)

for _table, _more in ((STRONG, STRONG_MORE), (WEAK, WEAK_MORE), (TRAPS, TRAPS_MORE)):
    for _topic, _patterns in _more.items():
        _table[_topic] = _table.get(_topic, ()) + _patterns
