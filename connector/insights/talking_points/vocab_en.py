"""English word families and sentence patterns per topic, merged into :mod:`.lexicon_en`.

The first lexicon was written from the labelled passages; what unseen mail missed were other members of
the same families (another sport, dish, illness, hobby or holiday), other sentence shapes ("back from
…", "broke my wrist", "made a kimchi") and other business collocations. These lists come from general
knowledge, not from any one passage, so they cover the family rather than the example. Same conventions
as the lexicon: regular-expression fragments, matched case-insensitively on word boundaries; *strong*
counts alone, *weak* needs a first-person cue and no business word.
"""

from __future__ import annotations

from connector.insights.talking_points.places import CLUBS, DESTINATIONS_EN, VENUES
from connector.insights.talking_points.vocab_added import STRONG_EN, TRAPS_EN, VENUE_YIELD, WEAK_EN, merge

# A capitalised word that is not a month or weekday: the name of a place, a film, a book.
NAME = (r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|"
        r"Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Q[1-4]|I)\b)[\"'‘“]?[A-Z][\w-]*(?!['’]s\b)")

SPORTS = (r"cricket|football|soccer|rugby|hockey|baseball|softball|basketball|netball|lacrosse|volleyball|"
          r"water\s+polo|handball|badminton|table\s+tennis|ping\s+pong|tennis|golf|squash|padel|pickleball")
FOODS = (
    r"pho|ramen|sushi|sashimi|tempura|dim\s+sum|dumplings?|bao|gyoza|curry|curries|biryani|dhal|dal|naan|tagine|"
    r"couscous|falafel|hummus|shawarma|kebabs?|tacos?|burritos?|enchiladas|nachos|paella|tapas|pizzas?|pasta|"
    r"lasagne|lasagna|risotto|gnocchi|carbonara|ravioli|pesto|noodles|pad\s+thai|stir-fry|brisket|pulled\s+pork|"
    r"ribs|steak|roast|stew|soup|chilli|chili|casserole|pies?|quiche|burgers?|fish\s+and\s+chips|oysters|lobster|"
    r"crab|seafood|mussels|pancakes|waffles|crêpes|crepes|bagels|croissants?|baguettes?|sourdough|focaccia|bread|"
    r"loaf|loaves|cakes?|cookies|biscuits|brownies?|cupcakes|muffins|scones|tarts?|crumble|cheesecake|macarons|"
    r"ice\s+cream|gelato|chocolate|truffles|marmalade|chutney|pickles|kimchi|sauerkraut|kombucha|wine|beer|"
    r"cider|gin|whisk(?:e)?y|cocktails?|barbecue|bbq|(?-i:turkey)|salmon|cheese|fondue|raclette|mezze|injera|"
    r"tamales|ceviche|empanadas|arepas|jollof|bibimbap|bulgogi|katsu|udon|laksa|rendang|banh\s+mi|"
    r"spring\s+rolls|samosas|pakoras|tikka|korma|vindaloo|moussaka|souvlaki|gyros|baklava|churros|tiramisu|"
    r"pavlova|trifle|pudding|jam|granola|broth|stew|pierogi|pelmeni|borscht|goulash|schnitzel|strudel|pretzels|"
    r"polenta|arancini|cannoli|onigiri|okonomiyaki|congee|plantain|beef|lamb|chicken|duck|pork|venison|prawns|tofu|"
    r"wellington|smoothies?|espresso|sandwich(?:es)?|salad|omelette|frittata|meatballs"
)
CUISINES = (
    r"lebanese|thai|italian|indian|japanese|korean|mexican|vietnamese|chinese|greek|moroccan|ethiopian|turkish|"
    r"french|spanish|peruvian|georgian|persian|sri\s+lankan|malaysian|caribbean|cajun|basque|sicilian|"
    r"neapolitan|s[iz]echuan|sichuan|hunanese|yunnanese|cantonese|brazilian|argentinian|polish|ukrainian|nepalese|pakistani|portuguese|"
    r"syrian|israeli|filipino|indonesian|taiwanese|hawaiian|tex-mex|southern|middle\s+eastern|west\s+african"
)
INSTRUMENTS = (r"piano|guitar|violin|cello|viola|drums|ukulele|saxophone|sax|trumpet|flute|clarinet|bass|banjo|"
               r"harp|accordion|mandolin|harmonica|keyboard|trombone|oboe|bagpipes")
# The purpose that makes a trip business: "flying to Munich for the steering committee".
PURPOSE = (r"(?:meeting|committee|summit|conference|review|workshop|kick-off|qbr|training|audit|visit|demo|"
           r"presentation|negotiation|signing|trade\s+show|expo|offsite|off-site|board|roadshow|convention|pitch|"
           r"onboarding|go-live|rollout|launch|deal|contract|client|customer|partner|sales|distributor)s?")
LANGUAGES = (r"italian|spanish|french|german|japanese|mandarin|chinese|portuguese|arabic|korean|greek|russian|"
             r"dutch|swedish|polish|hindi|turkish|welsh|gaelic|irish|hebrew|sign\s+language|a\s+new\s+language")

STRONG_MORE: dict[str, tuple[str, ...]] = {
    "family": (
        r"(?:my|our)\s+(?:\w+\s+)?(?:step(?:son|daughter|kids?|children|mum|mom|dad|father|mother)|"
        r"(?:brother|sister|son|daughter|father|mother)s?-in-law|god(?:son|daughter|child(?:ren)?)|cousins?|"
        r"aunt(?:ie)?|uncle|nieces?|nephews?|boys|girls|little\s+ones?|other\s+half|better\s+half|folks|"
        r"firstborn|middle\s+(?:one|child)|grandsons?|granddaughters?|great-grand\w+)",
        r"(?:the|my|our)\s+(?:kids|boys|girls|little\s+ones?|twins)\s+(?:are|were|have|had|got|love|loved|started)|"
        r"(?:first|second|third|fourth)\s+(?:child|baby|grandchild)|(?:is|am|she's|we're|i'm)\s+pregnant|"
        r"expecting\s+(?:a|our|my|their|her|his|baby|twins)\b|(?:school|nativity)\s+play|parents'?\s+evening|"
        r"parent-teacher|first\s+day\s+(?:at|of)\s+school|"
        r"(?:started|starts|starting)\s+(?:nursery|school|kindergarten|daycare|pre-school|preschool)|"
        r"(?:our|my)\s+little\s+(?:boy|girl|man|lady)|(?-i:Grandma|Grandpa|Granny|Grandad|Granddad|Nana|Nan|Gran)\b|"
        r"lost\s+(?:her|his|their)\s+first\s+tooth|tooth\s+fairy|(?:first|her\s+first|his\s+first)\s+(?:steps|words|"
        r"tooth)",
    ),
    "sports": (
        rf"(?:go|come\s+on|cheering\s+(?:for|on)|supporting|(?:big\s+)?fan\s+of)\s+(?:the\s+)?{CLUBS}\b|"
        rf"{CLUBS}\s+(?:game|match|fans?|won|lost|beat|drew|played|win|victory|defeat|loss|score|result)\b",
        rf"(?:at|to|in)\s+{VENUES}",
        rf"(?:{SPORTS})\s+(?:match|game|practice|training|tournament|season|final|club|team|league|camp|lesson|"
        r"lessons|coach|partner|buddy)",
        r"(?:a|the|this|last)\s+(?:week(?:end)?|day|morning|afternoon)\s+of\s+(?:hiking|skiing|sailing|surfing|"
        r"climbing|cycling|diving|golf|tennis|kayaking|snowboarding|trekking|riding)|"
        r"(?:went|go|going|been|heading\s+out)\s+for\s+a\s+(?:long\s+|quick\s+)?(?:run|swim|ride|jog|hike|paddle|"
        r"surf)\b",
        r"(?:on|hit|hitting)\s+the\s+slopes|(?:won|lost|went\s+out)\s+on\s+penalties|penalty\s+shoot-?out|cup\s+final|"
        r"extra\s+time\s+(?:winner|goal)|parkrun|spin\s+class|crossfit|(?:ultra|trail)\s+(?:run|race|marathon)|ironman|"
        r"fun\s+run|"
        r"charity\s+(?:run|ride|walk|match|game|swim|cycle|bike\s+ride)|(?:cricket|baseball)\s+bat|"
        r"(?:scored|score)\s+(?:a|the|his|her|my|two|three)\s+(?:\w+\s+)?(?:goal|try|touchdown|basket|century|"
        r"hat-trick|winner|equali[sz]er)|hat-trick|(?:won|lost|drew)\s+\d+[-–]\d+|"
        r"my\s+(?:handicap|golf\s+swing|backhand|forehand|serve|pb|personal\s+record|first\s+race|race\s+time|"
        r"training\s+plan|running\s+club|cycling\s+club|rowing\s+club|tennis\s+club|golf\s+club)",
    ),
    "vacation": (
        rf"(?:holiday|vacation|flew|flying|going|went|heading|headed|off|away|visiting|back|home|returned|"
        rf"landed|arrived|weeks?|days|nights|fortnight|weekend|break|cruise|touring|honeymoon|road\s+trip|stay|"
        rf"staying|sailing|hiking|skiing|camping|backpacking|spend|spending|spent|village|cabin|cottage|villa|"
        rf"driving|drove|drive|touring|exploring|explored|walking|cycling|island-hopping|"
        rf"chalet|campsite|resort|island|coast)\s+(?:\w+\s+){{0,3}}?(?:to|in|from|through|around|"
        rf"across|on|at)\s+(?:the\s+)?(?:[A-Z]\w+\s+)?{DESTINATIONS_EN}\b",
        r"(?:just\s+)?(?:got\s+back|back|home|returned)\s+from\s+(?:a|an|our|my|the)\s+(?:\w+\s+){0,3}?(?:trip|"
        r"holiday|vacation|break|week|weekend|fortnight|cruise|safari|getaway|honeymoon|tour|road\s+trip|"
        r"camping|skiing|hiking|days)",
        r"(?:rent|renting|rented|booked|booking)\s+(?:a|an|our)\s+(?:\w+\s+)?(?:cottage|house|cabin|villa|chalet|"
        r"apartment|campervan|motorhome|boat|barge|gîte|farmhouse|treehouse|yurt)|"
        r"writing\s+(?:this\s+|to\s+you\s+)?from\s+(?:a|the|my|our)\s+(?:\w+\s+){0,2}?(?:beach|pool|sun\s*lounger|"
        r"hammock|balcony|terrace|campsite|villa|chalet|cabin|boat|deck|island|airport|ferry)|"
        r"route\s+66|(?:in|rented|hired)\s+an?\s+(?:rv|camper|campervan|motorhome)|off\s+the\s+grid|digital\s+detox|"
        r"city\s+break|staycation|weekend\s+away|safari|interrail\w*|campervan|motorhome|glamping|beach\s+holiday|"
        r"all-inclusive|half-term\s+(?:trip|break|holiday)|(?:sailing|skiing|walking|cycling|beach|family|"
        r"summer|winter|sun|camping|diving)\s+(?:holiday|trip|vacation)",
        rf"(?:holiday|vacation|break|getaway|honeymoon)\s+(?:in|to)\s+(?:the\s+)?{NAME}",
    ),
    "health": (
        r"(?:broke|broken|fractured|sprained|twisted|dislocated|tore|torn|injured|hurt|pulled|strained)\s+"
        r"(?:my|his|her|a|an|their)\s+(?:\w+\s+)?(?:arm|leg|wrist|ankle|foot|hand|finger|thumb|toe|collarbone|"
        r"ribs?|nose|knee|hip|shoulder|elbow|neck|back|hamstring|calf|achilles|ligament|tendon|muscle|acl|meniscus)",
        r"(?:stomach|tummy|nasty|winter|sickness)\s+bug|(?:caught|picked\s+up|came\s+down\s+with|got)\s+(?:a|the|some)"
        r"\s+(?:\w+\s+)?(?:bug|virus|cold|flu|infection|covid|cough)|laid\s+up|bed-?ridden|"
        r"(?:been|feeling|felt|was|am)\s+(?:really\s+|a\s+bit\s+)?(?:poorly|unwell|rough|run\s+down)",
        r"(?:had|having|get|getting|got)\s+(?:my|his|her|their|a)\s+(?:\w+\s+)?(?:gallbladder|appendix|tonsils|"
        r"teeth|tooth|stitches|cast|cyst|mole|kidney\s+stones?)\s+(?:out|removed|taken\s+out|pulled|checked)|"
        r"(?:my|a|an|the)\s+(?:colonoscopy|endoscopy|biopsy|mammogram|ultrasound|ct\s+scan|mri|vasectomy|"
        r"hysterectomy|angiogram|stent|pacemaker|chemo|radiotherapy|dialysis|general\s+an(?:a)?esthetic)|"
        r"chemotherapy|root\s+canal|blood\s+tests?|my\s+gp|hay\s+fever|asthma\s+attack|kidney\s+stones?|slipped\s+disc|"
        r"sciatica|"
        r"glandular\s+fever|whooping\s+cough|scarlet\s+fever|conjunctivitis|pink\s+eye|laryngitis|croup|norovirus|"
        r"(?:put|threw|did)\s+my\s+back\s+(?:out|in)|cricked\s+my\s+neck|"
        r"whiplash|tendonitis|tennis\s+elbow|shingles|strep\s+throat|sinusitis|pneumonia|bronchitis|gallbladder|"
        r"hernia|vertigo|allergic\s+reaction|sore\s+throat|high\s+fever|ear\s+infection|(?:a|my)\s+(?:bad\s+)?cough|"
        r"ambulance|discharged\s+from|admitted\s+to\s+hospital|sick\s+leave|"
        r"on\s+the\s+mend|back\s+on\s+my\s+feet|(?:in|wearing)\s+a\s+(?:cast|sling|neck\s+brace|knee\s+brace)|"
        r"(?:hip|knee|cataract|eye|heart|back|shoulder|foot|hand|wrist|dental)\s+(?:op|surgery|operation|"
        r"procedure|replacement)|physio\s+(?:session|appointment)s?",
    ),
    "entertainment": (
        rf"(?:finished|finishing|started|starting)\s+(?:reading|watching|listening\s+to|binging)\s+(?:the\s+)?{NAME}|"
        r"(?:re-reading|rereading|devoured|binged|bingeing|binging|rewatching|re-watching|binge-watched|(?:i'm|i\s+am|"
        rf"been|currently)\s+reading)\s+(?:the\s+)?{NAME}",
        r"(?:watched|saw|seen|finished|read)\s+(?:it|them|the\s+(?:first|last|final)\s+(?:episode|season|book|one))"
        r"\s+(?:last\s+night|yesterday|over\s+the\s+weekend|at\s+the\s+weekend|on\s+\w+day)",
        r"(?:devoured|binged|loved|finished|read|watched)\s+(?:it|them)\s+in\s+(?:one|two|three|a|\d+)\s+(?:days?|"
        r"sittings?|nights?|weekend|evenings?|go)|(?:read|reading|seen|watched|watching|heard|finished|"
        r"started)\s+the\s+(?:latest|new)\s+[A-Z]\w*|"
        r"(?:season\s+)?finale\s+of\s+[A-Z]\w*|(?:at|on)\s+the\s+telly|"
        rf"(?:got|bought|booked|scored|have)\s+(?:\w+\s+)?tickets\s+(?:for|to)\s+(?:see\s+)?(?:the\s+)?{NAME}|"
        r"tickets\s+to\s+see|"
        r"box\s+set|page-turner|audiobook|graphic\s+novel|season\s+finale|binge[-\s]?watch\w*|"
        r"stand-up\s+(?:show|special|gig)|comedy\s+(?:show|gig|club|night)|art\s+(?:exhibition|gallery)|"
        r"the\s+(?:ballet|opera|symphony|orchestra|philharmonic)|(?:music|jazz|rock|film|book|literary|comedy|"
        r"fringe|folk)\s+festival|(?:film|movie|show|series|book|novel|album|gig|concert|musical|documentary|"
        r"podcast|play)\s+(?:was|is)\s+(?:brilliant|amazing|fantastic|incredible|gripping|hilarious|superb|"
        r"stunning|excellent|so\s+good)",
    ),
    "food": (
        rf"(?:{CUISINES})\s+(?:place|restaurant|spot|bistro|food|takeaway|cuisine|street\s+food|cooking|dishes|"
        r"dinner|feast|bakery|caf[ée]|market|recipe)",
        rf"(?:baked|baking|bake|cooked|cooking|cook|made|making|roasted|roasting|grilled|grilling|smoked|smoking|"
        rf"brewed|brewing|pickled|pickling|fermented|fermenting|experimenting\s+with|tried|tasted|ate|eating|"
        rf"devoured|loved|had)\s+(?:a|an|some|my|our|the|his|her|their|your)?\s*(?:\w+\s+){{0,2}}?(?:{FOODS})\b",
        rf"(?:{FOODS})\s+(?:from\s+scratch|recipe|was\s+(?:fantastic|amazing|delicious|incredible|outstanding|"
        r"unreal|divine|superb))|(?:food|meal|dinner|lunch|brunch|broth|menu)\s+(?:there\s+)?(?:is|was|were)\s+"
        r"(?:absolutely\s+|just\s+)?(?:unreal|amazing|delicious|incredible|outstanding|fantastic|superb|divine|"
        r"to\s+die\s+for)|(?:big|huge|massive|giant)\s+(?:batch|pot|tray|pan)\s+of\s+\w|from\s+scratch|food\s+truck|"
        r"street\s+food|tasting\s+menu|michelin|wine\s+tasting|"
        r"cooking\s+class|(?:\w+-)?making\s+class|cookbook|farmers'?\s+market|brewery\s+tour",
    ),
    "hobbies": (
        r"(?:pottery|potter's)\s+wheel|kiln|life\s+drawing|(?:evening|night|pottery|art|painting|drawing|"
        r"woodwork|sewing|knitting|dance|salsa|photography|language|ceramics|watercolou?r)\s+class(?:es)?",
        rf"(?:learning|learn|learnt|learned|practising|practicing|playing|picked\s+up)\s+(?:to\s+play\s+)?(?:the\s+)?"
        rf"(?:{INSTRUMENTS})\b|(?:learning|learn|studying)\s+(?:to\s+speak\s+)?(?:{LANGUAGES})",
        r"(?:community|local|church|gospel|rock|jazz|covers?|brass)\s+(?:choir|band|orchestra)|"
        r"(?:in|joined)\s+a\s+(?:\w+\s+)?(?:choir|band|orchestra|book\s+club|chess\s+club|quiz\s+team)|my\s+band",
        r"allotment|vegetable\s+(?:patch|garden|plot)|greenhouse|seedlings|raised\s+beds?|"
        r"(?:growing|grew|planted|planting)\s+(?:my\s+own\s+)?(?:tomatoes|vegetables|veg|herbs|roses|tulips|bulbs|"
        r"potatoes|courgettes|chillies|strawberries|dahlias)",
        r"jigsaw|crosswords?|sudoku|model\s+(?:railway|trains?|kits?|aircraft|planes?|ships?)|miniatures|warhammer|"
        r"dungeons\s+(?:and|&)\s+dragons|3d\s+print\w*|genealogy|family\s+tree|stargazing|telescope|beekeeping|"
        r"bee\s*hives?|foraging|mushroom\s+picking|metal\s+detecting|geocaching|bird-?watching|scrapbooking|"
        r"bookbinding|candle-making|soap-making|embroidery|cross-stitch|quilting|macram[ée]|upcycling|origami|"
        r"restoring\s+(?:an?\s+)?(?:old|vintage|classic)|classic\s+car|vintage\s+(?:car|motorbike|bike|guitar|camera)",
        r"learn(?:ing|t|ed)?\s+(?:how\s+)?to\s+(?:knit|crochet|sew|paint|draw|sketch|dance|sing|juggle|embroider|quilt|"
        r"weave|carve|whittle|throw\s+pots|play\s+(?:the\s+)?\w+)|"
        r"(?:built|building|build|made|making)\s+(?:a|an|my|our|the)\s+(?:\w+\s+)?(?:bookshelf|bookcase|bench|"
        r"birdhouse|treehouse|cabinet|coffee\s+table|dining\s+table|chair|pergola|raised\s+bed|canoe|"
        r"quilt|dolls'?\s+house|model)\b|took\s+up\s+\w+|(?:taken|taking|take)\s+up\s+(?:\w+ing|golf|tennis|yoga|"
        r"pilates|chess|pottery|"
        r"photography|the\s+(?:piano|guitar|violin|cello|drums))\b|"
        r"bonsai|terrarium|aquarium|orchids|succulents|cacti|painting\s+(?:a|the)\s+(?:mural|portrait|landscape|canvas|"
        r"miniatures?|watercolou?r)|(?:got|getting|been\s+getting)\s+(?:back\s+)?into\s+\w+ing",
    ),
    "celebrations": (
        r"(?:hen|stag)\s+(?:do|party|weekend)|bachelor(?:ette)?\s+party|gender\s+reveal|(?:bar|bat)\s+mitzvah|"
        r"first\s+communion|christening|baptism|housewarming|(?:retirement|leaving|engagement|birthday|graduation|"
        r"halloween|fancy\s+dress|garden|dinner)\s+party\b",
        r"(?:friend's|friends'|cousin's|brother's|sister's|colleague's|mate's|niece's|nephew's)\s+(?:\w+\s+)?"
        r"(?:wedding|birthday|hen|stag|engagement|christening|bar\s+mitzvah|graduation)|"
        r"(?:off|going|headed|heading|been)\s+to\s+(?:a|my|our)\s+(?:\w+\s+){0,2}?(?:wedding|christening|reunion)",
        r"trick[-\s]or[-\s]treat\w*|carv(?:e|ed|ing)\s+(?:the\s+)?pumpkins?|christmas\s+(?:tree|jumper|lights|"
        r"morning)|(?:turned|turns|turning|turn)\s+(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
        r"twelve|sixteen|eighteen|twenty-one|thirty|forty|fifty|sixty|seventy|"
        r"eighty|ninety|a\s+hundred)\b(?!\s*%)|(?:silver|golden|ruby|pearl|diamond)\s+(?:wedding|anniversary)|"
        r"(?:\d+(?:st|nd|rd|th)|first|tenth|twentieth)\s+wedding\s+anniversary|"
        r"(?:mum|mom|dad|mother|father|wife|husband|partner|son|daughter|sister|brother|friend|grandma|grandpa|"
        r"granny|grandad|aunt|uncle|cousin|nan|gran)['’]s\s+(?:surprise\s+)?\d{1,3}(?:st|nd|rd|th)\b",
    ),
}

WEAK_MORE: dict[str, tuple[str, ...]] = {
    "family": (r"nursery|daycare|kindergarten|babysitter|nanny|childcare|pregnant|pregnancy|school\s+run|stepson|"
               r"stepdaughter|grandson|granddaughter|godchild|nieces|nephews|cousins",),
    "sports": (
        r"lacrosse|netball|handball|badminton|table\s+tennis|ping\s+pong|pickleball|archery|fencing|"
        r"horse\s+riding|equestrian|scuba|diving|snorkell?ing|canoe(?:ing)?|paddleboard(?:ing)?|regatta|"
        r"jog(?:ging)?|parkrun|half-marathon|athletics|ultramarathon|mountain\s+bik(?:e|ing)|cyclocross|"
        r"skateboard(?:ing)?|ice\s+skating|curling|darts|snooker|grand\s+prix|motogp|nascar|ufc|wrestling|"
        r"weightlifting|spin\s+class|derby|half-time|semi-finals?|medal|podium|trekking|sailing|"
        r"sail|windsurf(?:ing)?|kitesurf(?:ing)?|bat|wicket|innings|touchdown|slam\s+dunk",
    ),
    "vacation": (r"annual\s+leave|sun\s*loungers?|hammock|staycation|getaway|city\s+break|sunbathing|sunburn|"
                 r"jet\s*lag|suitcase|passport|(?:on|taking)\s+(?:annual\s+)?leave\s+(?:for|until|from|next)|"
                 r"itinerary|villa|chalet|(?:by|at)\s+the\s+seaside",
                 rf"trips?\s+(?:\w+\s+){{0,2}}?(?:to|in|around|through)\s+(?:the\s+)?(?:{NAME}|{DESTINATIONS_EN}\b)",
                 rf"(?:i'm|i\s+am|we're|we\s+are|i'll\s+be|we'll\s+be|i\s+was|we\s+were)\s+(?:\w+\s+)?in\s+"
                 rf"{DESTINATIONS_EN}\b"),
    "health": (r"poorly|unwell|infection|fracture|sling|surgery|mri|x-ray|physio|rehab|vaccine|jab|booster|"
               r"hay\s+fever|asthma|sore\s+throat|hospitali[sz]ed|toothache|sprain|nausea|chickenpox|"
               r"measles|mumps|sinus|shingles|pneumonia|tendonitis|sciatica|stitches|"
               r"concussion|appointment\s+at\s+the\s+(?:hospital|clinic)",),
    "entertainment": (r"sitcom|docuseries|anime|trailer|sequel|prequel|paperback|kindle|author|memoir|thriller|"
                      r"comics?|manga|poetry|musical|ballet|orchestra|symphony|comedian|gallery|exhibition|"
                      r"prime\s+video|apple\s+tv|iplayer|premiere|box\s+office|soundtrack|band|gig",),
    "food": (rf"(?:{FOODS})|bistro|trattoria|brasserie|takeaway|foodie|michelin|vineyard|winery|brewery|"
             r"taqueria|pizzeria|osteria|izakaya|gastropub|steakhouse|noodle\s+bar|wine\s+bar|tapas\s+bar|sushi\s+bar|"
             r"ramen\s+bar|curry\s+house|sommelier|cookbook|cookery|yummy|scrumptious|mouth-watering|feast|homemade|"
             r"home-made",),
    "hobbies": (r"pottery|potter|ceramics|sketch(?:ing|book)|oil\s+painting|acrylics|embroidery|quilting|sewing|"
                r"crochet|knitting|woodturning|carpentry|joinery|upcycling|restoring|allotment|greenhouse|"
                r"seedlings|jigsaw|puzzles|crosswords?|sudoku|miniatures|lego|warhammer|genealogy|stargazing|"
                r"telescope|beekeeping|foraging|geocaching|scrapbooking|origami|knit|knitted|crocheted|sewed|whittled|"
                r"piano|guitar|violin|cello|drums|"
                r"ukulele|saxophone|trumpet|flute|clarinet|banjo|harp|accordion|orchestra|choir|dancing|"
                r"salsa|tango|ballroom|duolingo|guitar\s+lessons?|piano\s+lessons?",),
    "celebrations": (r"bday|b-day|hen\s+do|stag\s+do|reunion|christening|baptism|communion|gender\s+reveal|xmas|"
                     r"get-together|family\s+reunion|nye|hogmanay|boxing\s+day|lunar\s+new\s+year|chinese\s+new\s+year|"
                     r"valentine'?s|"
                     r"mother'?s\s+day|father'?s\s+day|bonfire\s+night|fireworks|fourth\s+of\s+july|carnival|"
                     r"mardi\s+gras|pumpkins?|trick-or-treat\w*|festive|shindig|toast(?:ed)?\s+to",),
}

TRAPS_MORE: dict[str, tuple[str, ...]] = {
    "family": (r"newborn\s+(?:screening|unit|care|ward|lab|product|range)s?|"
               r"(?<=[a-z,]\s)(?-i:(?:Baby|Mother|Father|Brother|Sister|Sons?|Daughters?|Family|Kids|Mom|Mum|Dad|"
               r"Wife|Husband)\s+[A-Z]\w*)|family\s+(?:plan|tier|leave|pricing|office|size|pack|edition|account|name|"
               r"room)|family-run|"
               r"parent\s+compan(?:y|ies)|sister\s+compan(?:y|ies)|(?:grand)?father\s+clause|baby\s+steps|"
               r"nursery\s+(?:client|chain|stock)|child\s+(?:accounts?|records?|process|table|entit(?:y|ies))",),
    "sports": (r"board\s+games?|video\s+games?|card\s+games?|computer\s+games?|mind\s+games|games?\s+night|"
               r"tennis\s+elbow|(?:run|ran|running)\s+(?:the|a|some|those|these)\s+(?:numbers|report|query|tests?|"
               r"script|job|batch|analysis)|sports?\s+(?:betting|club'?s?\s+(?:crm|app|ticketing))|"
               r"(?:football|rugby|sports?|tennis|golf)\s+(?:sponsorship|sponsor)|(?:team|club)\s+(?:crm|migration)|"
               r"diving\s+into|deep\s+dive|marathon\s+(?:of|negotiation|session|meeting|call)s?|"
               r"(?:off\s+to\s+a\s+)?flying\s+start|devil's\s+advocate|(?:big\s+)?fan\s+of\s+(?:the|your|our)\s+"
               r"(?:new\s+)?(?:\w+\s+)?(?:module|product|feature|app|platform|tool|approach|idea|plan)",),
    "vacation": (r"(?:flying|flew|fly|travel\w*|heading|headed|going|off|back|in|at|trip|week|days)\s+"
                 r"(?:\w+\s+){0,6}?for\s+(?:the|a|an|our|their|your|some)\s+(?:\w+\s+){0,2}?"
                 rf"{PURPOSE}\b|(?:trade\s+show|conference|summit|expo|offsite|off-site|kick-off|roadshow|congress|"
                 r"convention|sales\s+meeting|board\s+meeting|workshop)\s+(?:in|at)\s+\w+|"
                 r"(?:back|home|returned|got\s+back)\s+from\s+(?:the|a|our|this|"
                 r"their)\s+(?:\w+\s+){0,2}?(?:trade\s+show|"
                 r"conference|summit|expo|offsite|kick-off|roadshow|congress|convention|meeting|workshop|training|"
                 r"site\s+visit|customer\s+visit|board)|"
                 r"(?:your|you\s+had\s+a)\s+(?:\w+\s+)?(?:holidays?|vacation|trip|break|getaway|honeymoon)|"
                 r"(?:you're|you\s+are|you'll\s+be|you\s+were|you\s+will\s+be)\s+(?:\w+\s+)?(?:on\s+holiday|"
                 r"on\s+vacation|away|off)|"
                 r"(?:holiday|travel|tour|cruise|ski|walking|adventure)\s+(?:operators?|compan(?:y|ies)|firms?|"
                 r"agenc(?:y|ies)|providers?|brands?|clients?|platforms?)|holiday\s+(?:trading|hours|opening|closure|"
                 r"shutdown|lets?|bonus|cover)|bank\s+holiday|"
                 r"public\s+holiday|(?:sales|incentive|reward|team|offsite|company|business|site|field)\s+"
                 r"(?:trip|travel|visit)|trade\s+mission|annual\s+leave\s+(?:policy|balance|accruals?|requests?)|"
                 r"trip\s+to\s+(?:the|your|our)\s+(?:\w+\s+)?(?:office|site|plant|warehouse|hq|headquarters|"
                 r"factory|data\s+cent(?:er|re))",),
    "health": (r"leave\s+(?:us|you|me|them|him|her)\s+cold|cold\s+(?:calls?|calling|storage|start|feet|shoulder|snap|"
               r"weather|chain|case)|health\s*(?:and|&)\s*(?:wellness|beauty|fitness|wellbeing)|"
               r"hospital\s+(?:site|group|client|account|project|install|wing|building|chain|trust|network)s?|"
               r"your\s+(?:\w+\s+)?(?:surgery|operation|recovery|injury|illness|procedure|flu|cold)|"
               r"sick\s+leave\s+(?:policy|accruals?|rules)|(?:disaster|cost|data|debt)\s+recovery|"
               r"operations?\s+(?:manager|team|director|lead)|(?:business|sales)\s+operations?|"
               r"(?:standard|approval|operating)\s+procedure|surgery\s+(?:clients?|software|scheduling)",),
    "entertainment": (r"(?:our|notre)\s+(?:first\s+|next\s+|premier\s+|prochain\s+)?(?:concert|recital|récital|"
                      r"spectacle|gig|performance)|(?:school|nativity)\s+(?:play|concert|show)|(?:daughter|son|"
                      r"kids?|children)'s\s+(?:\w+\s+)?(?:concert|show|recital|play)|book(?:ed|ing)?\s+(?:a|an|the|my|"
                      r"our|your|some|in)\b|show(?:ed|ing|s)?\s+(?:you|him|her|them|us|me)\b|"
                      r"(?:[A-Z]?\d+\w*|product)\s+series|price\s+band|film\s+crew|(?:match|game|race|win|goal|try|"
                      r"fixture|"
                      r"round|tournament)\s+of\s+the\s+season|(?:trading|risk|order|deal)\s+books?|books?\s+(?:today|"
                      r"by\s+\w+day)|"
                      r"show\s+of\s+(?:force|hands|support|strength)|season\s+(?:tickets?|opener)|(?:festival|holiday|"
                      r"wedding|sales|peak|"
                      r"trading)\s+season|"
                      r"(?:read|reading|reread|watched|saw|seen)\s+(?:through\s+)?(?:the|your|their|this|that|our)\s+"
                      r"(?:\w+\s+)?(?:proposal|contract|report|document|e-?mail|message|minutes|deck|brief|spec|"
                      r"terms|clauses?|draft|notes|recording|webinar|demo|slides|rfp|sow|thread|comments)",),
    "food": (r"(?:anniversary|birthday|wedding|christmas|easter|thanksgiving|new\s+year'?s?|passover|eid|diwali|"
             r"hanukkah|graduation|engagement|rehearsal)\s+(?:dinner|lunch|brunch|meal|feast|buffet)|"
             r"(?:team|client|business|working|board|customer|partner|company|office|networking|awards|gala|"
             r"charity)\s+(?:dinner|lunch|breakfast|drinks)|lunch\s+and\s+learn|dinner\s+reservation|"
             r"cookies?\s+(?:banner|consent|policy|settings)|piece\s+of\s+the\s+pie|pie\s+charts?|traffic\s+jam|"
             r"lunch\s*(?:breaks?|hour|time)|(?:cooking|kitchen)\s+(?:appliances?|equipment)|recipe\s+for\s+(?:success|"
             r"disaster)|"
             r"(?:cook|cooks|cooking|cooked)\s+up|cook(?:ed|ing)?\s+the\s+books",),
    "hobbies": (r"sketch(?:ing|ed)?\s+out|(?:rough|quick)\s+sketch|"
                r"(?:garden|diy|craft)\s+(?:centre|center|retailer|chain|store)s?|product\s+photography|"
                r"painting\s+contractor|fishing\s+(?:industry|fleets?|vessels?|boats?|company|companies|operators?|"
                r"quotas?)",),
    "celebrations": (
        r"celebrat\w+\s+(?:a|the|our|this|their|your)?\s*(?:\w+\s+)?(?:quarter|year|results|launch|go-live|deal|"
        r"signing|signature|win|milestone|partnership|record|success|close|renewal|contract|years?\s+as)|"
        r"(?:years?|decade)\s+(?:as|of)\s+(?:a|your|our)\s+(?:customer|client|partner|company|business)|"
        r"anniversary\s+as\s+a\s+(?:company|customer|partner|business)|(?:in|into|after|early|"
        r"until)\s+the\s+new\s+year|"
        r"wedding\s+(?:day\s+)?(?:timeline|template|planner|planning|industry|registry|venue|supplier|vendor|market|"
        r"season|"
        r"client|business|platform|app)s?|"
        r"(?:christmas|holiday|festive|easter|thanksgiving|black\s+friday)\s+(?:trading|opening|hours|shutdown|"
        r"closure|period|rush|peak|campaign|bonus|stock|range|sales|staffing|cover|deliveries|schedule)|"
        r"super\s+bowl\s+(?:party|ad)|watch\s+party|(?:launch|office|team|kick-off|company|year-end)\s+party|"
        r"(?:third|other|responsible|contracting|signing|interested|relevant|both|either)\s+part(?:y|ies)|"
        r"the\s+party\s+(?:responsible|that|who)",
    ),
}

# Everyday shapes the earlier rounds lacked: check-ups and eyesight, pool swimming and training goals, season
# tickets, film photography, ski holidays, St Nicholas; and business uses of "match", "running on",
# "stay in <country>" (data residency) and "shoot film" read as a film to watch.
_STRONG_ADDED: dict[str, tuple[str, ...]] = {
    "sports": (
        r"(?:my|our|held|hold|have|had|got|renewed)\s+(?:\w+\s+)?season\s+tickets?|(?:at|to)\s+the\s+pool\b|"
        r"swim(?:ming)?\s+(?:across|the\s+channel|lengths)|(?:training|train)\s+for\s+(?:a|the|my)\s+"
        r"(?:\w+\s+){0,2}?(?:race|swim|crossing|marathon|triathlon|sportive|ride|10k|half|ironman|trail)",
        rf"{CLUBS}\s+(?:get|got|pull|make|made|tonight|this\s+season|in\s+the\s+playoffs)\b",
    ),
    "vacation": (
        r"(?:ski(?:ing)?|beach|sun|island)\s+(?:holiday|vacation|week|break)|(?:off|going|went|heading)\s+skiing",
        r"road[-\s]trip(?:ping|ped)?|(?:taking|take|took|taken)\s+(?:the\s+|next\s+|this\s+|a\s+|two\s+|three\s+|"
        r"a\s+few\s+)?(?:week|weeks|fortnight)\s+off|rented\s+a\s+(?:place|flat|apartment|boat|camper(?:van)?)|"
        r"(?:spending|spent|spend)\s+(?:the\s+)?(?:half[-\s]term|spring\s+break|"
        r"summer|holidays?|easter\s+break|school\s+holidays)\s+(?:at|in|with|on|by)",
    ),
    "health": (
        r"(?:my|an|the|annual)\s+(?:eye|hearing|blood)\s+(?:test|exam|check)|reading\s+glasses|"
        r"(?:need|needs|needed|got|new)\s+glasses|hearing\s+aids?|root\s+canal|(?:my|a|annual)\s+check-?up|"
        r"blood\s+pressure|cholesterol",
    ),
    "hobbies": (
        r"darkroom|film\s+(?:camera|photography)|shoot(?:s|ing)?\s+(?:on\s+)?film|"
        r"developed\s+(?:my|a|the)\s+(?:first\s+)?rolls?|analog(?:ue)?\s+photography",
    ),
    "celebrations": (r"st\.?\s+nicholas(?:'s)?\s+day|sinterklaas|saint\s+nicholas|hogmanay|epiphany\s+cake|"
                     r"surprised\s+(?:me|us|him|her|them)\s+with\s+(?:a\s+)?(?:\w+\s+)?(?:cake|party|cupcakes|"
                     r"champagne)",),
}
_TRAPS_ADDED: dict[str, tuple[str, ...]] = {
    "sports": (
        r"running\s+(?:on|low|late|behind|short|out|over|smoothly|fine|well|a\s+(?:bit|little)\s+(?:late|behind))|"
        r"race\s+(?:to\s+the\s+(?:finish|bottom|top)|against\s+(?:the\s+clock|time)|conditions?)|(?:rat|arms)\s+race|"
        r"(?:a|the|good|great|perfect|close|exact|strong|best|no|right)\s+(?:\w+\s+)?match\s+(?:between|for|with|to)|"
        r"match\s+between|match(?:es|ed|ing)?\s+(?:your|our|their|the)\s+(?:needs|requirements|criteria|specs?|"
        r"offer|records?|invoices?|data|figures|numbers)",
    ),
    "vacation": (
        r"(?:data|records|backups?|files|servers?|information|copies|tenants?)\s+(?:\w+\s+){0,3}?stay\s+in|"
        r"hospital\s+stay|stay\s+in\s+(?:the\s+)?hospital",
    ),
    "food": (r"icing\s+on\s+the\s+cake|cake\s?walk|have\s+(?:your|our|their)\s+cake|half-baked|spill\s+the\s+beans|"
             r"(?:sweeten|sweetens|sweetened)\s+the\s+(?:deal|offer)",),
    "entertainment": (
        r"shoot(?:s|ing)?\s+(?:on\s+)?film|film\s+(?:camera|photography|rolls?|stock|lab|scanner)|rolls?\s+of\s+film|"
        r"(?:cling|plastic|protective|window|thin)\s+film",
    ),
}
for _topic, _patterns in _STRONG_ADDED.items():
    STRONG_MORE[_topic] = STRONG_MORE.get(_topic, ()) + _patterns
for _topic, _patterns in _TRAPS_ADDED.items():
    TRAPS_MORE[_topic] = TRAPS_MORE.get(_topic, ()) + _patterns

YIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "sports": (("entertainment", r"(?:(?:at|in|to)\s+the\s+)?(?:stadium|arena)"),),
    "food": (("celebrations", r"(?:(?:birthday|\w+)\s+)?(?:cakes?|cupcakes?|candles|champagne|prosecco|bubbly|fizz)"),),
}
"""Per topic, (other topic, cue words): the cue counts for the other topic only, when that one is in the sentence."""

merge(STRONG_MORE, STRONG_EN)
merge(WEAK_MORE, WEAK_EN)
merge(TRAPS_MORE, TRAPS_EN)
YIELDS["sports"] = YIELDS["sports"] + (VENUE_YIELD,)
