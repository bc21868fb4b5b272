"""French word families and sentence patterns per topic, merged into :mod:`.lexicon_fr`.

Same purpose as :mod:`.vocab_en`: the other members of each family (sports, plats, maladies, loisirs,
fêtes), the usual sentence shapes ("je rentre d'une semaine en …", "je me suis cassé le poignet",
"kimchi maison", "nous l'avons regardé") and more business collocations, from general knowledge.
"""

from __future__ import annotations

from connector.insights.talking_points.places import CLUBS, DESTINATIONS_FR, VENUES
from connector.insights.talking_points.vocab_added import STRONG_FR, TRAPS_FR, VENUE_YIELD, WEAK_FR, merge

# A capitalised word (a title or a place); French months and weekdays are written in lower case.
NAME = r"[«\"“]?\s?[A-ZÀ-Ý][\w-]*"

SPORTS = (r"cricket|foot|football|rugby|hockey|basket|hand|handball|volley|tennis|golf|padel|squash|badminton|"
          r"ping-pong|pétanque|water-polo|baseball")
FOODS = (
    r"kimchi|phở|pho|ramen|sushis?|sashimis?|tempuras?|dim\s+sum|raviolis?|gyozas?|nems|bo\s+bun|currys?|"
    r"biryani|dhal|dal|naans?|tajines?|couscous|falafels?|houmous|kebabs?|tacos|burritos?|paella|tapas|pizzas?|"
    r"pâtes|lasagnes|risotto|gnocchis?|carbonara|pesto|nouilles|pad\s+thaï|brisket|côtes?\s+de\s+bœuf|"
    r"entrecôte|steak|rôti|pot-au-feu|blanquette|bourguignon|cassoulet|choucroute|tartiflette|raclette|fondue|"
    r"gratin|ratatouille|quiche|tartes?|burgers?|huîtres|homard|crabe|fruits\s+de\s+mer|moules|crêpes|galettes|"
    r"gaufres|croissants?|baguettes?|pain|brioche|levain|focaccia|gâteaux?|cookies|brownies?|muffins|scones|"
    r"crumble|cheesecake|macarons|éclairs|madeleines|glaces?|chocolats?|truffes|confitures?|chutney|pickles|"
    r"kombucha|vins?|bières?|cidre|cocktails?|dinde|saumon|fromages?|mezzés?|injera|ceviche|empanadas|"
    r"bibimbap|bulgogi|udon|banh\s+mi|samoussas|moussaka|baklava|churros|tiramisu|pavlova|bûche|foie\s+gras|"
    r"bœuf|agneau|poulet|canard|porc|wellington|pierogi|goulash|bortsch|strudel|polenta|magret|confit|soupe|chili|"
    r"potée|ragoût|daube|bouillon|velouté|terrine|pâté|bouillabaisse|tajine|sauerkraut|lacto-fermentés?|légumes\s+"
    r"lacto-fermentés|salade|omelette|boulettes"
)
CUISINES = (r"libanaise?|thaï|thaïlandaise?|italienne?|indienne?|japonaise?|coréenne?|mexicaine?|vietnamienne?|"
            r"chinoise?|grecque?|marocaine?|éthiopienne?|turque?|espagnole?|péruvienne?|géorgienne?|"
            r"persane?|libanais|basque|sicilienne?|brésilienne?|argentine?|polonaise?|portugaise?|syrienne?|"
            r"israélienne?|indonésienne?|antillaise?|créole|africaine?|sénégalaise?|égyptienne?|tunisienne?|"
            r"algérienne?|afghane?|népalaise?|cambodgienne?|taïwanaise?|lyonnaise?|bretonne?|alsacienne?")
INSTRUMENTS = (r"piano|guitare|violon|violoncelle|alto|batterie|ukulélé|saxophone|saxo|trompette|flûte|"
               r"clarinette|basse|harpe|accordéon|mandoline|harmonica|trombone|hautbois|cornemuse")
LANGUAGES = (r"italien|espagnol|japonais|allemand|portugais|chinois|mandarin|coréen|arabe|russe|anglais|grec|"
             r"néerlandais|suédois|polonais|hindi|turc|breton|occitan|hébreu|langue\s+des\s+signes")
_DATIVE = r"(?:le|la|les|l'|un|une|mon|ma|son|sa|leur)\s*"

STRONG_MORE: dict[str, tuple[str, ...]] = {
    "family": (
        r"(?:enceinte|attend(?:ons)?\s+(?:un|notre|son|leur)\s+(?:\w+\s+)?(?:bébé|enfant)|naissance\s+de\s+"
        r"(?:mon|ma|notre|nos)|accouché|(?:entre|entré|entrée|rentre|fait\s+sa\s+rentrée)\s+(?:à\s+la\s+crèche|"
        r"à\s+l'école|en\s+maternelle|au\s+collège|au\s+lycée|en\s+(?:cp|6e|sixième|seconde))|kermesse|"
        r"spectacle\s+de\s+fin\s+d'année|réunion\s+parents-profs|premier\s+jour\s+d'école)",
        r"(?-i:Mamie|Mamy|Papi|Papy|Mémé|Pépé|Grand-mère|Grand-père)\b|premi(?:ère|er|ers|ères)\s+(?:dent|pas|mots)|"
        r"petite\s+souris|(?:les|aux|des|mes|nos)\s+(?:petits|garçons|filles|jumeaux|jumelles|loulous|ados)\s+(?:sont|"
        r"étaient|"
        r"ont|avaient|adorent|ont\s+adoré)",
    ),
    "sports": (
        rf"(?:match|partie|tournoi|entraînement|finale|saison|club|équipe|cours|stage)\s+de\s+(?:{SPORTS})\b",
        r"(?:faire|fait|fais|faisons|ferons|refaire|refait)\s+(?:du|de\s+la|de\s+l'|des)\s*(?:vélo|ski|surf|voile|"
        r"kayak|canoë|escalade|natation|course\s+à\s+pied|footing|jogging|yoga|pilates|tennis|golf|boxe|judo|"
        r"plongée|paddle|randonnée|rando|trail|vtt|cheval|équitation|muscu|musculation|sport|kitesurf|"
        r"planche\s+à\s+voile|snowboard|patin|roller|skate|crossfit|spinning|aquagym|vélo\s+de\s+route|bloc)\b",
        r"(?:en|de)\s+(?:voilier|kayak|canoë|vtt|paddle)|voilier|régate|planche\s+à\s+voile|kitesurf|"
        r"plongée\s+sous-marine|ultra-trail|trail\s+de|course\s+(?:de\s+)?(?:10|20|5)\s?km|"
        r"(?:gagné|perdu|remporté)\s+(?:le|la|notre|leur|son)\s+(?:match|finale|tournoi|championnat|derby)|"
        r"match\s+nul|(?:marqué|marque|inscrit)\s+(?:un|deux|trois|le|les|ses|son)\s+(?:buts?|essais?|paniers?|"
        r"doublé|triplé)|"
        rf"(?:à|au)\s+{VENUES}|allez\s+(?:les\s+)?{CLUBS}\b|(?:victoire|défaite|match|match\s+nul)\s+(?:des|du|de\s+l'|"
        r"de)\s*"
        rf"{CLUBS}\b|(?:fais|fait|faire|enchaîne|enchaîné)\s+des\s+longueurs|(?:supporter|supporters|fan)\s+(?:du|"
        rf"de\s+l'|des)\s*{CLUBS}\b|"
        r"sortie\s+(?:à\s+|en\s+)?(?:vélo|vtt|running|course|trail|ski|kayak|voile|rando)|sur\s+les\s+pistes|"
        r"aux\s+tirs\s+au\s+but|séance\s+de\s+tirs|mon\s+(?:handicap|chrono|swing|revers|"
        r"coup\s+droit|record)|(?:semaine|week-end|journée)\s+de\s+"
        r"(?:randonnée|rando|ski|voile|surf|vélo|escalade|plongée|golf|trek)",
    ),
    "vacation": (
        r"(?:je\s+rentre|rentrée?s?|rentrons|revenue?s?|reviens|revenons|de\s+retour|tout\s+juste\s+rentrée?)\s+"
        r"(?:tout\s+juste\s+)?(?:de|d'|du|des)\s*(?:une?\s+|deux\s+|trois\s+|quinze\s+|dix\s+|nos\s+|mes\s+)?"
        r"(?:\w+\s+)?(?:semaines?|séjour|voyage|vacances|week-end|jours|congés|road\s+trip|croisière|trek|escapade)",
        rf"(?:voyage|vacances|séjour|partons|part|pars|partir|allée?s?|rentre|retour|rentrée?s?|rentrons|reviens|"
        rf"revenons|revenue?s?|"
        rf"semaines?|jours|quinzaine|week-end|escapade|croisière|road\s+trip|atterri|envolée?s?|randonnée|ski|"
        rf"passons|passé|passer|village|chalet|maison|gîte|camping|île|côte)\s+"
        rf"(?:\w+\s+){{0,3}}?(?:(?:en|à|au|aux|dans\s+les|dans\s+le|vers|de|du)\s+|d')(?:l'|la\s+|le\s+)?"
        rf"{DESTINATIONS_FR}\b",
        r"(?:loué|louons|louer|louent|louez|réservé)\s+(?:une?|notre)\s+(?:\w+\s+)?(?:maison|villa|location|chalet|"
        r"gîte|appartement|cabane|camping-car|bateau|péniche|mobil-home|roulotte)|"
        r"(?:je\s+vous\s+écris|j'écris|je\s+t'écris)\s+(?:depuis|de)\s+(?:un|une|la|le|l'|mon|ma|"
        r"notre)\s*(?:\w+\s+){0,2}?"
        r"(?:plage|transat|hamac|terrasse|balcon|camping|villa|chalet|bateau|île|piscine|aéroport|ferry)|"
        r"city-trip|city\s+trip|week-end\s+prolongé|safari|road\s+trip|camping-car|van\s+aménagé|glamping|"
        r"gîte|chambre\s+d'hôtes|club\s+med|tout\s+compris|au\s+bord\s+de\s+la\s+mer|"
        r"(?:je\s+suis|nous\s+sommes|je\s+serai|nous\s+serons|on\s+est|on\s+sera)\s+(?:en\s+congés?(?!\s+(?:paternité|"
        r"maternité|parental|maladie|(?:le|ce|demain|lundi|mardi|mercredi|jeudi|vendredi|samedi)\b))|en\s+vacances|"
        r"au\s+soleil|à\s+la\s+(?:mer|montagne|plage|campagne))",
        rf"(?:semaine|quinzaine|séjour|week-end|vacances)\s+(?:\w+\s+){{0,3}}?(?:en|à|au|aux)\s+{NAME}|"
        r"coupée?s?\s+du\s+monde|sans\s+réseau|détox\s+numérique",
    ),
    "health": (
        rf"(?:cassé|fracturé|foulé|tordu|déchiré|luxé|blessé|froissé|claqué|abîmé)\s+{_DATIVE}(?:\w+\s+)?(?:bras|"
        r"jambe|poignet|cheville|pied|main|doigt|pouce|orteil|clavicule|côtes?|nez|genou|hanche|épaule|coude|cou|"
        r"dos|mollet|tendon|ligaments?|muscle|ménisque|croisés)",
        r"(?:s'est|me\s+suis|se\s+sont|t'es|s'était|m'étais)\s+(?:cassée?|fracturée?|foulée?|tordue?|blessée?|"
        r"fait\s+mal|fait\s+une\s+entorse|fait\s+opérer)",
        r"(?:s'est|me\s+suis|se\s+sont|s'était|m'étais|se\s+fait|me\s+fais|vais\s+me)\s+(?:fait\s+)?(?:retirer|"
        r"enlever|arracher|plâtrer|recoudre|opérer)|(?:bloqué|coincé|tordu)\s+(?:le|la|les)\s+(?:dos|cou|nuque|genou|"
        r"épaule|cheville|poignet)|tour\s+de\s+reins|torticolis|mononucléose|coqueluche|scarlatine|"
        r"(?:ma|mon|une|un)\s+(?:coloscopie|endoscopie|biopsie|mammographie|échographie|fibroscopie|"
        r"anesthésie\s+générale|chimio|chimiothérapie|radiothérapie|dialyse|stent|pacemaker)|"
        r"bronchiolite|conjonctivite|cystite|laryngite|pharyngite|gastro|sinusite|otite|pneumonie|zona|oreillons|"
        r"calculs?\s+rénaux|hernie\s+discale|sciatique|lumbago|"
        r"tendinite|crise\s+d'asthme|rhume\s+des\s+foins|coup\s+de\s+froid|mal\s+de\s+gorge|forte\s+fièvre|"
        r"(?:j'ai|il\s+a|elle\s+a|j'avais|attrapé|chopé)\s+(?:la|une|un|le)\s+(?:\w+\s+)?(?:grippe|angine|rhume|"
        r"covid|virus|bronchite|otite|gastro|infection)",
        r"(?:je\s+suis|j'étais|il\s+est|elle\s+est|été|était|suis\s+restée?)\s+(?:\w+\s+)?(?:malade|souffrante?|"
        r"alitée?|patraque|hospitalisée?|opérée?|clouée?\s+au\s+lit)|au\s+lit\s+avec|arrêt\s+maladie|en\s+arrêt|"
        r"(?:une|en)\s+convalescence|(?:chez\s+le|mon|ma)\s+(?:médecin|généraliste|dentiste|kiné|ostéo|"
        r"ophtalmo|dermato|cardiologue)|à\s+la\s+clinique|prise\s+de\s+sang|passé\s+(?:une\s+irm|une\s+radio|"
        r"un\s+scanner)|des\s+béquilles|un\s+plâtre|une\s+attelle|dent\s+cassée|dévitalis\w+|carie|plombage|"
        r"opération\s+(?:du|de\s+la|des|de\s+l')\s*(?:genou|hanche|dos|épaule|cœur|œil|yeux|cataracte|appendicite)",
    ),
    "entertainment": (
        rf"(?:enfin|déjà|hier\s+soir)\s+(?:vu|regardé|lu|fini|terminé)\s+{NAME}|"
        rf"(?:lu|relu|dévoré|binge-watché|enchaîné)\s+{NAME}|(?:vu|regardé|lu|écouté)\s+le\s+(?:nouveau|"
        rf"dernier)\s+{NAME}|"
        rf"(?:eu|acheté|pris|réservé|trouvé|ai|avons)\s+(?:des|deux|nos|mes)\s+places\s+pour\s+(?:voir\s+)?{NAME}|"
        rf"(?:regardé|terminé|commencé)\s+(?:la\s+série\s+)?{NAME}",
        rf"(?:viens|vient|venons)\s+de\s+(?:finir|terminer|lire|commencer|dévorer|regarder|voir)\s+(?:\w+\s+)?{NAME}",
        r"(?:l'|les\s+)(?:ai|avons|avait|avions)\s+(?:enfin\s+|déjà\s+|finalement\s+)?(?:regardée?s?|"
        r"dévorée?s?|binge-watchée?s?|adorée?s?)|(?:l'|les\s+)(?:ai|avons)\s+(?:enfin\s+)?vue?s?\s+(?:hier\s+soir|"
        r"au\s+cinéma|en\s+salle|ce\s+week-end)",
        r"livre\s+audio|série\s+(?:télé|netflix)|saison\s+\d+|bande\s+dessinée|roman\s+graphique|avant-première|"
        r"one-man-show|stand-up|vernissage|(?:expo|exposition)\s+(?:\w+\s+){0,2}?(?:au\s+musée|au\s+grand\s+palais)|"
        r"festival\s+(?:de\s+)?(?:jazz|rock|musique|cinéma|bd|théâtre|cannes|avignon)|(?:le|la|un|une)\s+"
        r"(?:pièce|comédie\s+musicale|opéra|ballet)\s+(?:au|à)\b|(?:film|série|livre|roman|album|concert|"
        r"spectacle|pièce|documentaire|podcast)\s+(?:était|est)\s+(?:génial|géniale|excellent|excellente|"
        r"incroyable|magnifique|bouleversant|bouleversante|hilarant|hilarante|superbe|passionnant|passionnante)",
    ),
    "food": (
        rf"(?:restaurant|resto|cuisine|traiteur|boulangerie|pâtisserie|épicerie|food\s+truck|street\s+food)\s+"
        rf"(?:{CUISINES})\b|(?:nouveau|petit|super|bon)\s+(?:restaurant|resto|bistrot)",
        rf"(?:fait|faire|fais|préparé|préparer|prépare|cuisiné|cuisiner|cuisine|mijoté|rôti|grillé|cuit|"
        rf"essais?\s+de|tenté|testé|tester|goûté|goûter|dégusté|mangé|savouré|dévoré|commandé|adoré|raté|réussi)"
        rf"\s+(?:un|une|des|du|de\s+la|de\s+l'|le|la|les|mon|ma|mes|notre|nos|son|sa|ses|leur|leurs|d')?\s*"
        rf"(?:\w+\s+){{0,2}}?(?:{FOODS})\b",
        rf"(?:{FOODS})\s+(?:fait(?:e|s|es)?\s+)?maison|fait(?:e|s|es)?\s+maison|menu\s+dégustation|étoilé|"
        r"cours\s+de\s+(?:cuisine|pâtisserie)|atelier\s+(?:de\s+)?(?:cuisine|pâtisserie|sushis?)|"
        r"(?:grosse|énorme|grande)\s+(?:marmite|fournée|casserole|plâtrée)|dégustation\s+de\s+vins?|"
        r"livre\s+de\s+recettes|il\s+faut\s+(?:absolument\s+)?(?:goûter|tester)",
    ),
    "hobbies": (
        r"tour\s+de\s+potier|(?:cours|atelier|stage)\s+de\s+(?:poterie|céramique|dessin|peinture|aquarelle|"
        r"modèle\s+vivant|couture|tricot|photo|danse|salsa|tango|chant|théâtre|calligraphie|menuiserie|"
        r"ébénisterie|broderie)",
        rf"(?:apprendre|apprends|appris|apprentissage\s+(?:du|de\s+la|de\s+l'))\s+(?:à\s+jouer\s+)?"
        rf"(?:du|de\s+la|de\s+l'|le|la|l')?\s*(?:{INSTRUMENTS}|{LANGUAGES})\b|(?:joue|jouer|jouons)\s+"
        rf"(?:du|de\s+la|de\s+l')\s*(?:{INSTRUMENTS})\b",
        r"potager|jardin\s+partagé|semis|jardinière|rosiers|rempoté|(?:planté|plante|cultive)\s+(?:des|mes)\s+"
        r"(?:tomates|légumes|courgettes|fraises|herbes|bulbes|rosiers|tulipes)",
        r"bonsaïs?|terrarium|aquarium|orchidées|succulentes|cactus|peindre\s+(?:une|un|des)\s+(?:fresque|toile|"
        r"portrait|"
        r"paysage|aquarelle|tableau|figurines)|observ\w+\s+(?:les\s+)?oiseaux|jumelles\s+d'observation|mots\s+croisés|"
        r"mots\s+fléchés|sudoku|maquettisme|trains?\s+miniatures?|figurines|warhammer|"
        r"donjons\s+et\s+dragons|jeux?\s+de\s+rôle|impression\s+3d|généalogie|arbre\s+généalogique|télescope|"
        r"apiculture|ruches?|cueillette\s+de\s+champignons|détecteur\s+de\s+métaux|géocaching|"
        r"scrapbooking|reliure|broderie|point\s+de\s+croix|patchwork|macramé|upcycling|ébénisterie|marqueterie|"
        r"origami|restaurer\s+(?:un|une)\s+(?:vieux|vieille|ancien|ancienne)|voiture\s+de\s+collection|"
        r"moto\s+ancienne|vide-greniers?|fanfare|groupe\s+de\s+(?:rock|jazz|musique)|(?:intégré|rejoint)\s+"
        r"(?:une|un)\s+(?:chorale|groupe|orchestre|club\s+de\s+lecture|club\s+d'échecs|atelier\s+d'écriture)",
    ),
    "celebrations": (
        r"evjf|evg|enterrement\s+de\s+vie\s+de\s+(?:jeune\s+)?(?:fille|garçon)|gender\s+reveal|baptême|"
        r"communion|bar-mitsva|bat-mitsva|crémaillère|pacsée?s?|se\s+pacser|"
        r"(?:noces|mariage|anniversaire|baptême)\s+d(?:e|')\s*(?:mon|ma|notre|leur|son|sa|mes|un|une)\s+"
        r"(?:\w+\s+)?(?:ami|amie|amis|cousin|cousine|collègue|frère|sœur|soeur|neveu|nièce|filleul|filleule)",
        r"(?:mon|ma|notre)\s+(?:pot|fête|soirée)\s+de\s+départ|départ\s+à\s+la\s+retraite|"
        r"les\s+\d+\s+ans\s+(?:de|d'|surprise)|(?:fête|soirée|dîner|déjeuner)\s+(?:d'anniversaire|surprise|"
        r"de\s+mariage|de\s+fiançailles|"
        r"de\s+départ\s+à\s+la\s+retraite)|(?:ses|mes|leurs|nos)\s+\d+\s+ans|souffl\w+\s+(?:ses|mes|les|leurs)\s+"
        r"(?:\d+\s+)?bougies|galette\s+des\s+rois|sapin\s+de\s+noël|marché\s+de\s+noël|bûche\s+de\s+noël|"
        r"chasse\s+aux\s+œufs|fête\s+des\s+(?:mères|pères|voisins)|saint-valentin|nouvel\s+an\s+(?:chinois|lunaire)|"
        r"(?:allons|vais|va|suis|étions|étais)\s+(?:\w+\s+)?(?:à|au)\s+(?:un\s+)?mariage|"
        r"(?:fêté|fêter|fêtons|fêtera|célébré|célébrer|célébrons)\s+(?:ses|mes|nos|leurs|son|sa|mon|ma|notre|"
        r"leur)\s+(?:\d+\s+ans|anniversaire|mariage|fiançailles|noces|diplôme|retraite|bac)",
    ),
}

WEAK_MORE: dict[str, tuple[str, ...]] = {
    "family": (r"crèche|nounou|garderie|baby-sitter|enceinte|grossesse|accouchement|maternelle|beau-père|"
               r"belle-mère|gendre|belle-fille|beau-fils|petit-fils|petite-fille|filleule?|marraine|parrain",),
    "sports": (
        r"cricket|batte|voilier|régate|kitesurf|plongée|canoë|paddle|vtt|trail|ultra-trail|course\s+à\s+pied|"
        r"crossfit|escrime|équitation|cheval|tir\s+à\s+l'arc|badminton|ping-pong|tennis\s+de\s+table|pétanque|"
        r"bowling|patinage|roller|athlétisme|cyclisme|spinning|aquagym|muscu|championnat|derby|ligue|stade|"
        r"médaille|podium|mi-temps|demi-finale|quart\s+de\s+finale|essai\s+transformé|trek|trekking",
    ),
    "vacation": (r"transat|hamac|escapade|dépaysement|voyager|bronzer|bronzée?s?|farniente|valises?|passeport|"
                 r"décalage\s+horaire|jet\s+lag|gîte|camping|à\s+la\s+(?:mer|montagne|plage)|au\s+soleil",
                 rf"(?:je\s+suis|nous\s+sommes|je\s+serai|nous\s+serons|j'étais|nous\s+étions)\s+(?:\w+\s+)?"
                 rf"(?:en|à|au|aux)\s+{DESTINATIONS_FR}\b"),
    "health": (r"réaction\s+allergique|allergique|souffrante?|patraque|"
               r"alitée?|gastro|angine|otite|sinusite|béquilles|attelle|plâtre|irm|ostéo|"
               r"généraliste|clinique|vaccin|convalescence|douleurs?|entorse|fracture|tendinite|"
               r"lumbago|sciatique|hernie|fièvre|toux|rhume|migraines?|infection",),
    "entertainment": (r"polars?|bd|mangas?|auteure?|autrice|comédie|humoriste|ciné|avant-première|"
                      r"télé|télévision|disney\+?|prime\s+video|deezer|thriller|biographie|mémoires|poésie|"
                      r"ballet|orchestre|symphonie|galerie|bande-annonce|saga",),
    "food": (rf"(?:{FOODS})|resto|crêperie|trattoria|brasserie|étoilé|gastronomie|gastronomique|dégustation|"
             r"œnologie|vignoble|apéro|apéritif|fromagerie|food\s+truck|fait\s+maison|régalée?s?|régal|"
             r"miam|cuisiné|mijoté|pâtissé|gourmande?|savoureuse",),
    "hobbies": (r"poterie|céramique|potier|tricot|broderie|couture|aquarelle|croquis|dessin|potager|semis|"
                r"(?:apprends|appris|apprendre)\s+à\s+(?:tricoter|coudre|peindre|dessiner|danser|chanter|jongler|"
                r"broder|crocheter|sculpter)|puzzles?|lego|figurines|maquettes?|échecs|danse|salsa|tango|chant|chorale|"
                r"piano|guitare|violon|"
                r"violoncelle|ukulélé|saxophone|trompette|flûte|clarinette|harpe|accordéon|appareil\s+photo|"
                r"généalogie|astronomie|apiculture|menuiserie|bricolage",),
    "celebrations": (r"anniv|evjf|evg|baptême|communion|crémaillère|retrouvailles|saint-sylvestre|"
                     r"saint-valentin|halloween|carnaval|mardi\s+gras|feux?\s+d'artifice|14\s+juillet|"
                     r"réunion\s+de\s+famille|retrouvailles\s+familiales|bougies|sapin|bûche|célébr\w+|pacs|"
                     r"festivités",),
}

TRAPS_MORE: dict[str, tuple[str, ...]] = {
    "family": (r"sociétés?\s+sœurs?|maison\s+mère|société\s+mère|famille\s+(?:d'articles|de\s+produits)|"
               r"crèche\s+d'entreprise|enfants?\s+(?:du\s+tableau|de\s+la\s+table)",),
    "sports": (r"(?:voyagiste|agence|organisateur|opérateur|tour-opérateur|loueur)s?\s+de\s+(?:randonnée|ski|voile|"
               r"plongée|vélo|surf)|marathon\s+de\s+(?:réunions?|négociations?|rendez-vous|appels?|visios?)|"
               r"(?:grande?\s+)?fan\s+(?:du|de\s+la|de\s+votre|de\s+notre)\s+(?:nouveau\s+|nouvelle\s+)?"
               r"(?:module|produit|fonctionnalité|appli\w*|plateforme|outil|approche|idée|offre)|"
               r"jeux?\s+de\s+société|jeux?\s+vidéo|jeux?\s+de\s+cartes|paris\s+sportifs|(?:club|équipe)\s+de\s+"
               r"(?:foot|rugby|basket|hand)\s+(?:client|cliente)|sponsoring\s+(?:du|de)|mi-temps\s+thérapeutique|"
               r"à\s+ce\s+stade|au\s+stade\s+(?:de|du|des|d')|essai\s+gratuit|période\s+d'essai|trail\s+d'audit|"
               r"(?:tennis|golf)\s+elbow|tennis-elbow",),
    "vacation": (r"(?:avion|vol|train|part|pars|partons|serai|serons|suis|sommes|voyage|déplacement|semaine|jours)\s+"
                 r"(?:\S+\s+){0,6}?(?:pour|au|à\s+la|à\s+l')\s+(?:le\s+|la\s+|les\s+|un\s+|une\s+|notre\s+|nos\s+)?"
                 r"(?:\w+\s+){0,2}?(?:réunion|comité|sommet|salon|séminaire|conférence|revue|formation|audit|visite|"
                 r"démo|présentation|négociation|signature|kick-off|lancement|congrès|client|clients|partenaires?|"
                 r"distributeurs?|rendez-vous\s+client)s?\b|"
                 r"(?:retour|rentrée?|revenue?|de\s+retour)\s+(?:du|de\s+la|de\s+l'|d'une?)\s*(?:\w+\s+)?(?:salon|"
                 r"conférence|séminaire|sommet|congrès|réunion|formation|comité|visite|kick-off|convention|atelier|"
                 r"rendez-vous|déplacement|mission)|(?:vous|tu)\s+(?:êtes|serez|étiez|étais|seras|es)\s+"
                 r"(?:\w+\s+)?(?:en\s+vacances|en\s+congés?)|(?:vous|tu)\s+(?:avez|as)\s+passé\s+(?:de\s+)?"
                 r"(?:bonnes|belles|super)\s+vacances|bonnes\s+vacances|"
                 r"(?:vos|votre|tes|ton|ta)\s+(?:\w+\s+)?(?:vacances|voyage|séjour|congés|escapade)|"
                 r"(?:voyage|déplacement|séjour)\s+(?:d'affaires|professionnel|de\s+prospection)|salon\s+de|"
                 r"(?:colonies?|centres?|villages?|résidences?|clubs?|chèques?)\s+de\s+vacances|"
                 r"(?:notes?\s+de\s+frais|frais)\s+(?:du|de|pour\s+le|de\s+mon|de\s+notre)\s+(?:voyage|séjour|"
                 r"déplacement)|"
                 r"mission\s+commerciale|voyage\s+de\s+récompense|séminaire\s+à|"
                 r"à\s+la\s+mer\s+du\s+nord\s+pour",),
    "health": (r"santé\s+et\s+(?:bien-être|beauté|forme)|site\s+de\s+l'hôpital|l'hôpital\s+(?:client|partenaire)|"
               r"(?:opération|convalescence|rétablissement|grippe)\s+de\s+(?:votre|vos|ton|ta|tes)|"
               r"(?:votre|vos|ton|ta|tes)\s+(?:\w+\s+)?(?:opération|convalescence|rétablissement|grippe)|"
               r"santé\s+(?:du\s+pipeline|des\s+ventes|commerciale)|(?:virus|infection)\s+informatique|"
               r"douleurs?\s+(?:des|du)\s+clients?|points?\s+de\s+douleur|clinique\s+(?:cliente|partenaire)|"
               r"opération\s+(?:commerciale|de\s+maintenance|promotionnelle|marketing|spéciale)",),
    "entertainment": (r"(?:lu|relu|lis|lire|lecture\s+de|regardé|vu)\s+(?:attentivement\s+)?(?:la|le|les|l'|votre|vos|"
                      r"leur|leurs|ce|cette|ces)\s*(?:\w+\s+)?(?:proposition|contrat|devis|rapport|document|offre|"
                      r"mail|e-mail|courriel|message|compte\s+rendu|cahier\s+des\s+charges|clauses?|conditions|"
                      r"annexe|présentation|dossier|note|enregistrement|webinaire|démo|slides|fil|commentaires)|"
                      r"saison\s+des\s+(?:festivals|soldes|fêtes|ventes|mariages)|"
                      r"notre\s+(?:premier\s+|prochain\s+)?(?:concert|récital|spectacle)|(?:match|course|victoire|but|"
                      r"essai|"
                      r"tournoi|journée)\s+de\s+la\s+saison|saison\s+(?:sportive|de\s+(?:foot|rugby|ski|basket))|"
                      r"spectacle\s+de\s+"
                      r"(?:fin\s+d'année|l'école|danse)\s+de\s+(?:mon|ma|mes|notre|nos)|comédie\s+de\s+"
                      r"(?:la\s+)?(?:négociation|procurement)|auteur\s+(?:du|de\s+la)\s+(?:devis|rapport|"
                      r"proposition)",),
    "food": (r"(?:déjeuner|dîner|repas|buffet)\s+(?:de|du|d')\s*(?:pâques|noël|réveillon|mariage|anniversaire|"
             r"hanoukka|aïd|"
             r"diwali|thanksgiving|pessah|shabbat|ramadan|iftar|"
             r"nouvel\s+an|gala|fin\s+d'année|l'équipe|travail|séminaire|clients?)|(?:déjeuner|dîner|repas)\s+"
             r"d'(?:affaires|équipe|anniversaire)|réservation\s+(?:du|pour\s+le)\s+(?:dîner|déjeuner|restaurant)|"
             r"mijot\w+\s+(?:un|une|le|la)\s+(?:plan|projet|offre|proposition)|pauses?\s+(?:du\s+)?déjeuner|"
             r"pain\s+point|gagne-pain|recette\s+(?:du|de\s+notre)\s+succès|recette\s+miracle|"
             r"cookies\s+(?:tiers|de\s+suivi)|bandeau\s+(?:de\s+)?cookies|"
             r"politique\s+(?:de\s+)?cookies",),
    "hobbies": (r"photos?\s+(?:du|de\s+la|des)\s+(?:produits?|entrepôt|site|stand|dommages?|palettes?)|"
                r"dessin\s+technique|chant\s+de\s+la\s+victoire|batterie\s+(?:de|du|d')\s*(?:mon|ma|son|sa|"
                r"téléphone|portable|l'ordinateur|voiture|secours)|batteries?\s+(?:est\s+|était\s+)?(?:faible|vide|"
                r"à\s+plat|déchargée|lithium)",),
    "celebrations": (
        r"(?:fêté|fêter|fêtons|célébré|célébrer|célébrons)\s+(?:un|une|le|la|notre|nos|ce|cette|les)\s+"
        r"(?:\w+\s+)?(?:trimestre|record|lancement|signature|contrat|succès|go-live|mise\s+en\s+production|"
        r"partenariat|résultats|année\s+record|ans\s+de\s+partenariat|clôture)|période\s+des\s+fêtes|"
        r"(?:horaires|ouverture|fermeture|stock|planning|astreinte)s?\s+(?:\w+\s+){0,4}?(?:pendant\s+)?les\s+fêtes|"
        r"ans\s+(?:en\s+tant\s+que|comme)\s+(?:client|partenaire)",
    ),
}

# Tournures courantes absentes jusqu'ici : enfants désignés par « la petite », « les petits » ; piscine et
# traversée à la nage ; départ au ski ; jours de congé ; « voir Le Roi Lion » ; Saint-Nicolas ; et usages
# commerciaux : « fête des prix » (opération promotionnelle), « séjour à l'hôpital » (santé, pas vacances).
_STRONG_ADDED: dict[str, tuple[str, ...]] = {
    "family": (
        r"(?:avec|gard(?:e|er|é)|cherch(?:e|er|é)|emmène|emmener|amène|amener|dépos(?:e|er|é)|couch(?:e|er|é))\s+"
        r"(?:la\s+petite|le\s+petit|les\s+petits|"
        r"les\s+petites|le\s+bébé|la\s+grande|le\s+grand|les\s+grands|les\s+gamins|les\s+p'tits)\b"
        r"(?!\s+(?:entreprises?|équipes?|commandes?|sociétés?|structures?|séries?|quantités?|clients?|comptes?|"
        r"détails?|ajustements?|modifications?|différences?|fournisseurs?|projets?|dossiers?|magasins?|"
        r"commerces?|budgets?|points?|lignes?|volumes?|sites?|formats?|modèles?|références?))",
    ),
    "sports": (
        r"à\s+la\s+nage|à\s+la\s+piscine|longueurs?\s+de\s+bassin|(?:je\s+m'entraîne|m'entraîner|m'entraîne|"
        r"entraînement)\s+pour\s+(?:la|le|un|une|mon|ma)\s+(?:\w+\s+){0,3}?(?:course|marathon|traversée|"
        r"triathlon|trail|semi|compétition|tournoi|match|cyclosportive)",
        r"(?:vous\s+avez|tu\s+as|t'as|avez-vous|as-tu)\s+vu\s+(?:le|la)\s+(?:match|finale|course|grand\s+prix)",
    ),
    "vacation": (
        r"(?:pars|part|partons|partir|partis?|partie?s?|allons|vais|va)\s+(?:au|faire\s+du)\s+ski|"
        r"(?:vacances|semaine|séjour)\s+(?:au|de)\s+ski|"
        r"(?:quelques|deux|trois|quatre|cinq|une|dix)\s+(?:jours?|semaines?)\s+de\s+(?:congés?|vacances|repos)"
        r"(?!\s+payés)|(?:à|de)\s+(?:londres|édimbourg|dublin)\s+pour\s+(?:quelques|une|deux|trois|le|la)\s+"
        r"(?:jours?|semaines?|week-end|vacances)",
    ),
    "entertainment": (
        r"(?:pour|aller|allés?|allées?|été|sommes\s+allée?s|suis\s+allée?)\s+voir\s+(?:Le\s+|La\s+|Les\s+|L')?"
        r"(?:[A-ZÀ-Ý]\w+\s+){1,4}(?:au|à\s+l'|à\s+la|à\s+[A-ZÀ-Ý])|comédie\s+musicale",
    ),
    "food": (
        r"(?:fais|fait|faisons|préparé|prépare|cuisiné|cuit)\s+(?:les|des|mes|nos|un|une|le|la)\s+"
        r"(?:\w+\s+)?(?:speculoos|sablés|bredele|pain\s+d'épices|biscuits|confitures?|conserves)",
    ),
    "celebrations": (r"saint-nicolas|saint\s+nicolas|la\s+chandeleur|galette\s+des\s+rois|épiphanie|"
                     r"(?:m'a|m'ont|nous\s+a|nous\s+ont|lui\s+a|lui\s+ont)\s+fait\s+la\s+surprise\s+d'une?\s+"
                     r"(?:\w+\s+)?(?:gâteau|fête|soirée|champagne)",),
}
_TRAPS_ADDED: dict[str, tuple[str, ...]] = {
    "sports": (r"cour(?:s|t|ir|ons|ez|ais|ait|u)\s+(?:après|partout|dans\s+tous\s+les\s+sens)|"
               r"course\s+contre\s+la\s+montre",),
    "food": (r"(?:c'est|c'était|ce\s+n'est|c'est\s+pas)\s+(?:pas\s+)?du\s+(?:gâteau|tout\s+cuit)|pas\s+de\s+la\s+tarte|"
             r"la\s+cerise\s+sur\s+le\s+gâteau|part\s+du\s+gâteau|mettre\s+du\s+beurre\s+dans\s+les\s+épinards",),
    "celebrations": (r"fêtes?\s+des\s+(?:prix|soldes|promos?|affaires|bonnes\s+affaires)|foire\s+aux\s+vins",),
    # "coupe du monde" is the World Cup, also once the accents of "coupé(e) du monde" (cut off) are gone.
    "vacation": (r"(?:la|une|de\s+la|cette|prochaine|dernière)\s+coupe\s+du\s+monde|"
                 r"séjour\s+(?:à\s+l'hôpital|hospitalier|en\s+(?:clinique|réa\w*|hôpital|maternité))|"
                 r"(?:données|dossiers|sauvegardes|serveurs|fichiers)\s+(?:\w+\s+){0,3}?(?:restent|rester)\s+(?:au|en|à)",),
}
for _topic, _patterns in _STRONG_ADDED.items():
    STRONG_MORE[_topic] = STRONG_MORE.get(_topic, ()) + _patterns
for _topic, _patterns in _TRAPS_ADDED.items():
    TRAPS_MORE[_topic] = TRAPS_MORE.get(_topic, ()) + _patterns

YIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "sports": (("entertainment", r"(?:(?:au|dans\s+le|à\s+l')\s*)?(?:stade|aréna|arena)"),),
    "food": (("celebrations", r"(?:(?:gros|grand|petit|beau|\w+)\s+)?(?:gâteaux?|bûche|bougies|champagne|crémant|"
                              r"pièce\s+montée|dragées|galette)(?:\s+(?:d'|de\s+|des\s+|au\s+|aux\s+|à\s+la\s+)\w+)?"),),
}
"""Par thème, (autre thème, mots du signal) : le signal ne compte que pour l'autre thème s'il est dans la phrase."""

merge(STRONG_MORE, STRONG_FR)
merge(WEAK_MORE, WEAK_FR)
merge(TRAPS_MORE, TRAPS_FR)
YIELDS["sports"] = YIELDS["sports"] + (VENUE_YIELD,)
