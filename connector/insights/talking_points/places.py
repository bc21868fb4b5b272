"""Names the cue lexicons share: travel destinations, sports clubs and venues (general knowledge lists).

A destination after a travel word ("a week in Crete", "flying to Portugal") or a club after a fan's verb
("I was at Anfield") is what makes a sentence personal; the lists are kept broad so unseen mail naming
another country or club is covered, and each is one regular-expression alternation matched
case-insensitively on word boundaries.
"""

from __future__ import annotations


def _alt(words: str) -> str:
    # One entry per line or comma; spaces inside a name match any run of whitespace.
    names = [w.strip() for line in words.splitlines() for w in line.split(",") if w.strip()]
    return "(?:" + "|".join(sorted({n.replace(" ", r"\s+") for n in names}, key=len, reverse=True)) + ")"


DESTINATIONS_EN = _alt("""
greece, italy, spain, portugal, france, japan, vietnam, thailand, mexico, croatia, iceland, morocco, bali, sicily,
sardinia, corsica, tuscany, provence, naples, rome, venice, florence, milan, barcelona, madrid, seville, lisbon,
porto, crete, santorini, mykonos, hawaii, caribbean, maldives, costa rica, peru, chile, argentina, patagonia,
brazil, colombia, new zealand, australia, kenya, tanzania, zanzibar, south africa, namibia, botswana, egypt,
tunisia, jordan, turkey, istanbul, cyprus, malta, madeira, azores, canaries, canary islands, tenerife, lanzarote,
mallorca, majorca, ibiza, fuerteventura,
gran canaria, menorca, algarve, andalusia, amalfi, lake como, alps, rockies, pyrenees, dolomites,
highlands, scotland, ireland, wales, cornwall, devon, cotswolds, lake district, norway, sweden, finland, lapland,
denmark, copenhagen, amsterdam, berlin, prague, vienna, budapest, krakow, paris, normandy, brittany, bordeaux,
cuba, bahamas, jamaica, barbados, cancun, tulum, tokyo, kyoto, osaka, seoul, bangkok, phuket, hanoi,
singapore, hong kong, india, goa, kerala, sri lanka, nepal, himalayas, bhutan, china, indonesia, philippines,
cambodia, laos, malaysia, dubai, oman, canada, alaska, yellowstone, yosemite, grand canyon, new york, las vegas,
california, florida, miami, new orleans, vancouver, montreal, quebec, banff, greek islands, switzerland, austria,
germany, belgium, netherlands, tyrol, slovenia, montenegro, albania, dubrovnik, seychelles, mauritius,
fiji, tahiti, marrakech, lake garda, puglia, cinque terre, the south of france
""")

DESTINATIONS_FR = _alt("""
grèce, italie, espagne, portugal, japon, vietnam, thaïlande, mexique, croatie, islande, maroc, bali, sicile,
sardaigne, corse, toscane, provence, naples, rome, venise, florence, milan, barcelone, madrid, séville,
lisbonne, porto, crète, santorin, mykonos, hawaï, caraïbes, antilles, guadeloupe, martinique, île de la réunion,
maldives, costa rica, pérou, chili, argentine, patagonie, brésil, colombie, nouvelle-zélande, australie, kenya,
tanzanie, zanzibar, afrique du sud, namibie, égypte, tunisie, jordanie, turquie, istanbul, chypre, malte,
madère, açores, canaries, ténérife, lanzarote, fuerteventura, highlands,
baléares, majorque, ibiza, minorque, algarve, andalousie, amalfi, alpes,
rocheuses, pyrénées, dolomites, écosse, irlande, pays de galles, cornouailles, norvège, suède, finlande, laponie,
danemark, copenhague, amsterdam, berlin, prague, vienne, budapest, cracovie, bretagne, normandie, camargue,
ardèche, vendée, côte d'azur, côte basque, pays basque, cévennes, jura, vosges, alsace, auvergne, dordogne,
périgord, bordeaux, biarritz, cuba, bahamas, jamaïque, cancún, tokyo, kyoto, osaka, séoul, bangkok, phuket,
hanoï, singapour, hong kong, inde, sri lanka, népal, himalaya, chine, indonésie, philippines, cambodge, laos,
malaisie, dubaï, oman, canada, québec, montréal, alaska, new york, las vegas, californie, floride, îles grecques,
suisse, autriche, allemagne, belgique, pays-bas, tyrol, slovénie, monténégro, albanie, dubrovnik, seychelles,
maurice, île maurice, polynésie, tahiti, marrakech, lac de garde, pouilles, cinq terres, sud de la france
""")

CLUBS = _alt("""
celtics, lakers, yankees, red sox, mets, cubs, dodgers, giants, patriots, chiefs, eagles, cowboys, packers,
steelers, bears, 49ers, niners, warriors, knicks, bulls, heat, raptors, maple leafs, canadiens, canadien, habs, bruins,
alouettes, oilers, canucks, senators, sénateurs, blue jays, whitecaps,
rangers, arsenal, chelsea, liverpool, everton, tottenham, spurs, man city, manchester city, man utd,
man united, manchester united, newcastle, aston villa, west ham, leeds, celtic, real madrid, barcelona, barça,
atletico, juventus, juve, inter, ac milan, napoli, bayern, dortmund, ajax, benfica, porto, psg, om, ol,
les bleus, all blacks, springboks, wallabies, stade toulousain, toulouse, la rochelle, racing 92, clermont,
toulon, leinster, munster, saracens, leicester tigers, harlequins
leafs, oilers, canucks, blackhawks, red wings, penguins, flyers, sabres, islanders, blue jays, astros,
phillies, orioles, mariners, broncos, ravens, bengals, colts, seahawks, vikings, buccaneers, mavericks,
clippers, pistons, cavaliers, timberwolves
""")

VENUES = _alt("""
anfield, old trafford, stamford bridge, wembley, twickenham, murrayfield, croke park, lord's,
wimbledon, roland-garros, roland garros, stade de france, parc des princes, vélodrome, camp nou, bernabéu,
bernabeu, san siro, allianz arena, fenway, yankee stadium, wrigley field, madison square garden, lambeau field,
silverstone, monza, le mans, augusta, st andrews, celtic park, ibrox, emirates stadium, etihad
""")
