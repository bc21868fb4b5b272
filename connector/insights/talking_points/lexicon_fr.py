"""French cues for personal topics (same structure as :mod:`.lexicon_en`).

Traps are the business collocations French sales mail is full of: "santé financière", "famille de
produits", "stock des fêtes", "matériel de sport", "feuille de route".
"""

from __future__ import annotations

from connector.insights.talking_points.vocab_fr import STRONG_MORE, TRAPS_MORE, WEAK_MORE, YIELDS  # noqa: F401 - YIELDS is part of the lexicon

_KIN = (
    r"(?:fille|fils|filles|enfants?|bébé|femme|mari|épouse|époux|conjoint|conjointe|compagne|compagnon|mère|"
    r"père|parents|sœur|soeur|frère|beaux-parents|belle-mère|beau-père|petits-enfants|petite-fille|petit-fils|"
    r"grand-mère|grand-père|grands-parents|nièce|neveu|jumeaux|jumelles|famille|petite\s+fille|petit\s+garçon|aînée?|"
    r"cadette?|ado|adolescente?|petit\s+dernier|petite\s+dernière|benjamine?|beau-frère|belle-sœur|belle-soeur|gendre|"
    r"belle-fille|beau-fils|cousine?s?|tante|oncle|filleule?|neveux|nièces|moitié|fiancée?|papa|maman|mamie|papi|papy)"
)

STRONG: dict[str, tuple[str, ...]] = {
    "family": (
        rf"(?:mon|ma|mes|notre|nos)\s+(?:\w+\s+)?{_KIN}",
        r"(?:les|aux|des)\s+enfants\s+(?:étaient|sont|ont|avaient|sont\s+ravis)|avec\s+les\s+enfants|"
        r"toute\s+la\s+famille|congé\s+(?:paternité|maternité|parental)|doit\s+naître|est\s+née?\b|"
        r"(?:week-end|semaine)\s+de\s+(?:papi|mamie)|récupérer\s+mes\s+enfants|"
        r"(?:ma\s+grande|mon\s+grand|ma\s+petite|mon\s+petit)\s+(?:vient|a|est|fête|entre|commence)",
    ),
    "sports": (
        r"cyclosportive|(?:fait|couru|roulé)\s+(?:la|le|une|un)\s+(?:\w+\s+){0,2}?(?:de\s+)?\d+\s?km|"
        r"ligue\s+des\s+champions|regardé\s+(?:la|le)\s+(?:\w+\s+){0,3}?(?:finale|match|course|grand\s+prix)|"
        r"(?:jouant|jouer|joué)\s+(?:au|du)\s+(?:foot|football|tennis|golf|rugby|basket|squash|padel|hand)|"
        r"foot\s+à\s+cinq|(?:semi-)?marathon|triathlon|record\s+personnel|mon\s+record|courbatures|"
        r"(?:match|tournoi|finale)\s+(?:de\s+|du\s+)?(?:tennis|golf|foot(?:ball)?|rugby|basket|hand(?:ball)?|"
        r"volley|padel)|quel\s+match|(?:au|du)\s+ski\b|de\s+ski\b|skier|randonnée|"
        r"marqué\s+un\s+but|tirs\s+au\s+but|(?:le\s+|au\s+)?match\s+(?:hier|de\s+dimanche|de\s+samedi)|"
        r"fin\s+de\s+match|xv\s+de\s+france|(?:psg|om|ol|les\s+bleus)\b|coupe\s+du\s+monde|jeux\s+olympiques|"
        r"(?:six\s+nations|tour\s+de\s+france|roland-garros|wimbledon)|équipe\s+de\s+(?:volley|basket|foot|hand|rugby)|"
        r"escalade\s+en\s+salle|(?:couru|courir)\s+(?:mon\s+premier\s+|un\s+)?\d+\s?km|"
        r"tournoi\s+de\s+foot|demi-finale|(?:je|j'ai)\s+(?:cours|nage|couru|nagé)\b|cours\s+de\s+(?:natation|tennis|ski|surf|équitation)|salle\s+de\s+sport",
    ),
    "vacation": (
        r"(?:en|mes|nos|les|de|des|premières)\s+(?:vraies\s+)?vacances\b(?!\s+scolaires)|voyage\s+de\s+noces|"
        r"(?:voyage|vacances|séjour|partons|pars|allés?|rentre|retour|semaines?|jours)\s+(?:\w+\s+){0,3}?(?:en|à|au|aux|"
        r"dans\s+les)\s+(?:grèce|italie|espagne|portugal|japon|vietnam|thaïlande|mexique|croatie|islande|maroc|bali|"
        r"sicile|sardaigne|corse|toscane|provence|naples|rome|venise|barcelone|lisbonne|crète|santorin|guadeloupe|"
        r"martinique|maldives|costa\s+rica|pérou|australie|kenya|alpes|pyrénées|bretagne|écosse|irlande|norvège|"
        r"cuba|tokyo|kyoto|bangkok|new\s+york|îles\s+grecques|dolomites)|(?:bonjour|bises)\s+de\s+[A-ZÀ-Ý]\w*|(?:je\s+viens\s+d'atterrir|de\s+retour)\s+d(?:e|'\w+)|"
        r"nous\s+partons|partons\s+(?:camper|faire|en|à)|(?:séjour|voyage)\s+(?:au|en|à)\s+[A-ZÀ-Ý]\w*|"
        r"le\s+voyage\s+était|(?:loué|louons)\s+une\s+(?:maison|villa|location|chalet|gîte)|"
        r"(?:long\s+)?week-end\s+à\s+[A-ZÀ-Ý]\w*|hâte\s+de\s+déconnecter|semaine\s+de\s+ski|sac\s+à\s+dos|(?:deux|trois|quatre)\s+semaines\s+(?:en|à|au|de)\b|"
        r"quelques\s+jours\s+pour\s+aller|rendons\s+visite\s+à\s+mes\s+[\w-]+\s+en\s+[A-ZÀ-Ý]\w*",
    ),
    "health": (
        r"ordre\s+du\s+médecin|après\s+l'intervention|fait\s+une\s+(?:mauvaise\s+)?chute|(?:me|se)\s+fai[st]\s+opérer|dents?\s+de\s+sagesse|"
        r"intoxication\s+alimentaire|varicelle|rougeole|gastro(?:-entérite)?|otite|appendicite|commotion|"
        r"(?:déchiré|claqué|rompu)\s+(?:un|le|les|mon)\s+(?:\w+\s+)?(?:ligament|muscle|tendon|ménisque)|fracture|"
        r"infection\s+(?:pulmonaire|urinaire|à\s+l'oreille)|sous\s+antibiotiques|aux\s+urgences|patraque|"
        r"pas\s+en\s+forme|(?:me\s+)?remets\s+d'une?\s+\w+|mal\s+(?:de|au)\s+(?:dos|ventre|tête|genou)",
        r"(?:opérer|opéré|opérée|opération)\s+(?:du|de\s+la|des|de\s+l')?|mon\s+opération|prothèse|rééducation|"
        r"convalescence|(?:une|la|mauvaise)\s+(?:grippe|angine|bronchite|fièvre)|(?:le|du)\s+covid|"
        r"(?:étaient|étais|suis|était|sont)\s+(?:malades?|hospitalisée?s?)|arrêt(?:é|ée)?\s+(?:maladie|avec)|"
        r"(?:mon|le)\s+médecin|blessure|cassé\s+(?:le|la|les)\s+\w+|me\s+suis\s+cassé|"
        r"je\s+vais\s+(?:beaucoup\s+)?mieux|à\s+l'hôpital",
    ),
    "entertainment": (
        r"(?:j'ai\s+(?:enfin\s+)?regardé|nous\s+avons\s+regardé)\s+[A-ZÀ-Ý]\w*|(?:écoute|écouté)\s+un\s+(?:super\s+|"
        r"excellent\s+|bon\s+)?(?:podcast|album|livre\s+audio)|exposition\s+\w+\s+au\s+musée|"
        r"(?:regardé|vu|dévoré|fini|terminé)\s+(?:la\s+|le\s+|les\s+)?(?:série|film|saison|épisodes?|"
        r"documentaire)|la\s+série\s+[A-ZÀ-Ý]\w*|(?:le|un|dernier|nouveau)\s+film|au\s+cinéma|en\s+imax|"
        r"au\s+théâtre|(?:en\s+)?concert\b|(?:je\s+lis|j'ai\s+lu|lecture\s+de)\b|le\s+roman|un\s+roman|"
        r"(?:un|le)\s+(?:excellent\s+|bon\s+|très\s+bon\s+)?(?:polar|thriller|roman|livre)\s+de\s+[A-ZÀ-Ý]\w*|"
        r"(?:la\s+)?(?:dernière|nouvelle)\s+saison\s+de|impossible\s+de\s+le\s+lâcher|(?:nouvel|dernier)\s+album|pièce\s+de\s+[A-ZÀ-Ý]\w*|toute\s+la\s+(?:\w+\s+)?saison",
    ),
    "food": (
        r"restaurant\s+(?:libanais|thaï|italien|indien|japonais|coréen|mexicain|vietnamien|chinois|grec|marocain|éthiopien|turc|espagnol|péruvien)|mezzés?|"
        r"recette|(?:tarte|gâteau|paella|barbecue|raclette|fondue|blanquette|quenelle|ramen|sushis?)\b|"
        r"cuisine\s+(?:coréenne|thaï|italienne|japonaise|indienne|libanaise|du\s+sud)|"
        r"le\s+restaurant\s+que\s+vous|(?:quel|un\s+bon)\s+vin|toute\s+cette\s+cuisine|"
        r"restaurant\s+de\s+\w+\s+à\s+côté|il\s+faut\s+absolument\s+(?:essayer|goûter)",
    ),
    "hobbies": (
        r"tournage\s+sur\s+bois|nichoir|cabane|abri\s+de\s+jardin|construire\s+un(?:e)?\s+(?:maquette|bateau|"
        r"table|cabane)|(?:mis|remis)\s+à\s+l'(?:italien|espagnol|anglais|allemand|japonais|arabe)|duolingo|rempoter|"
        r"(?:salsa|tango|danse\s+de\s+salon)|(?:ma|mon)\s+(?:nouvelle\s+|nouveau\s+)?(?:passion|obsession|loisir|passe-temps)|chiner|brocantes?|"
        r"vinyles|retaper\s+un|(?:mon|un)\s+(?:nouveau\s+)?loisir|je\s+me\s+suis\s+(?:mise?\s+à|remise?\s+à)|au\s+jardin|"
        r"(?:jardinage|menuiserie|poterie|tricot|peinture|photographie|photo\b|pêche|pêché|ornithologie)|"
        r"au\s+piano|(?:cours\s+de\s+)?(?:guitare|piano|violon)\b|(?:dans\s+)?mon\s+(?:garage|atelier)|"
        r"attrapé\s+une\s+(?:belle\s+)?(?:truite|carpe)|club\s+de\s+lecture|chorale",
    ),
    "celebrations": (
        r"(?:mon|ma|son|votre|ton|notre|leur)\s+(?:\w+\s+)?anniversaire|anniversaire\s+de\s+(?:mon|ma|notre|"
        r"votre)|fête\s+(?:d'anniversaire|surprise)|bon\s+anniversaire|(?:a\s+eu|fête\s+ses|fêté\s+ses)\s+\d+\s+ans|"
        r"mes\s+\d+\s+ans",
        r"(?:je\s+me\s+marie|se\s+marie|s'est\s+mariée?|nous\s+nous\s+marions|mariage\b(?!\s+de\s+raison))|"
        r"noces\s+d'(?:or|argent)",
        r"vœux\s+d'anniversaire|baby\s+shower|(?:l'|l’)avons\s+fêtée?|joyeux\s+noël|réveillon|(?:fêté|fêter)\s+(?:ça|noël|pâques|le\s+nouvel\s+an|nos|son|sa|leur)|"
        r"nous\s+avons\s+fêté|(?:passé|fêté)\s+noël",
    ),
}

WEAK: dict[str, tuple[str, ...]] = {
    "family": (
        r"famille|enfants?|parents|fils|fille|filles|femme|mari|épouse|jumeaux|jumelles|aînée?|cadette?|"
        r"petits-enfants|cousine?s?|tante|oncle|neveu|nièce|beaux-parents|belle-sœur|beau-frère|bébé|"
        r"maman|papa|frère|sœur|soeur|conjointe?|compagne|compagnon|filleule?",
    ),
    "sports": (
        r"match|matchs|tournoi|stade|course\s+(?:à\s+pied|de\s+\d+|cycliste)|vélo|natation|nager|golf|tennis|foot|football|rugby|basket|"
        r"handball|volley|ski|skier|snowboard|surf|escalade|randonnée|rando|yoga|pilates|salle\s+de\s+sport|"
        r"musculation|marathon|triathlon|padel|squash|voile|aviron|kayak|boxe|judo|karaté|supporters?|"
        r"six\s+nations|roland-garros|tour\s+de\s+france|ligue\s+1|top\s+14|coupe\s+du\s+monde|footing|jogging",
    ),
    "vacation": (
        r"vacances|voyage|plage|séjour|congés|croisière|road\s+trip|sac\s+à\s+dos|dépaysement|"
        r"(?:une|deux|trois)\s+semaines?\s+(?:à|en|au)",
    ),
    "health": (
        r"santé|malade|maladie|hôpital|médecin|opération|grippe|angine|migraine|fièvre|rhume|toux|allergie|"
        r"dentiste|mal\s+de\s+dos|accident|points\s+de\s+suture|plâtre|kiné|antibiotiques|entorse|"
        r"bronchite|covid|blessée?",
    ),
    "entertainment": (
        r"livres?\s+audio|film|films|série|séries|saison|épisodes?|livre|livres|roman|concert|album|chansons?|playlist|"
        r"en\s+boucle|spectacle|théâtre|comédie\s+musicale|opéra|podcast|documentaire|festival|netflix|"
        r"exposition|musée|cinéma|bande\s+dessinée",
    ),
    "food": (
        r"focaccia|levain|brioche|dîner|déjeuner|brunch|restaurant|cuisine|cuisiner|pâtisserie|gâteau|vin|pâtes|pizzas?|sushis?|"
        r"ramen|couscous|tajine|curry|burgers?|fromages?|pain|croissants?|chocolat|dessert|recette|plat|repas|"
        r"chef|raviolis?|risotto|barbecue|tapas|délicieux|délicieuse|savoureux|gastronomique|bistrot|"
        r"boulangerie|crêpes?|galettes?|raclette|fondue|huîtres",
    ),
    "hobbies": (
        r"jardinage|photo|photographie|pêche|peinture|aquarelle|dessin|piano|guitare|violon|batterie|"
        r"loisirs?|passe-temps|menuiserie|tricot|tricoter|crochet|couture|poterie|céramique|échecs|"
        r"ornithologie|bricolage|restaurer|restauration\s+d'une|chorale|chant|collection|calligraphie|"
        r"apiculture|astronomie|maquettes?",
    ),
    "celebrations": (
        r"fête|fêtes|anniversaire|mariage|noël|fêter|fêtons|fêté|réveillon|nouvel\s+an|pâques|hanoukka|"
        r"ramadan|aïd|halloween|remise\s+de\s+diplômes?|baptême|fiançailles|fiancée?s?|crémaillère|"
        r"enterrement\s+de\s+vie|vœux",
    ),
}

TRAPS: dict[str, tuple[str, ...]] = {
    "family": (
        r"famille\s+de\s+(?!mon|ma|mes)\w+|entreprises?\s+familiales?|(?:votre|vos|ta|ton|tes|leur|leurs)\s+"
        r"(?:\w+\s+)?(?:femme|mari|épouse|enfants|famille|fille|fils|parents|mère|père|sœur|frère)\b",
    ),
    "sports": (
        r"concert\s+au\s+stade|matériel\s+de\s+sport|rayon\s+sport|nutrition\s+sportive|billetterie\s+du\s+club|"
        r"tournoi\s+de\s+golf(?:\s+caritatif)?|pack\s+de\s+sponsoring|marathon,?\s+pas\s+un\s+sprint|"
        r"projet\s+de\s+stade|pied\s+d'égalité|feuille\s+de\s+route",
    ),
    "vacation": (
        r"stock\s+des\s+fêtes|location\s+de\s+vacances|vacances\s+(?:de\s+\w+\s+)?sont\s+la|"
        r"vacances\s+scolaires|politique\s+de\s+voyages|agences?\s+de\s+voyages|note\s+de\s+frais|congés\s+de",
    ),
    "health": (
        r"santé\s+de\s+(?:notre|la|votre|leur|cette|nos|vos)\s+(?!famille|fille|fils|mère|père|femme|mari)\w+|"
        r"santé\s+et\s+sécurité|santé\s+(?:financière|du\s+projet|de\s+l'entreprise)|la\s+santé\s+du\s+projet|mutuelle\s+santé|"
        r"données\s+de\s+santé|bien-être\s+au\s+travail|de\s+l'hôpital\s+pour",
    ),
    "entertainment": (
        r"regardé\s+(?:la|le)\s+(?:\w+\s+){0,3}?(?:finale|match|course|grand\s+prix)|pôle\s+divertissement|plateforme\s+de\s+streaming|chaîne\s+de\s+cinémas|"
        r"(?:regardé|vu)\s+l'enregistrement|étude\s+de\s+cas",
    ),
    "food": (r"restauration\s+(?:collective|rapide)|dîner\s+de\s+gala",),
    "hobbies": (r"photo\s+de\s+(?:l'entrepôt|produit)",),
    "celebrations": (
        r"vacances\s+de\s+pâques|campagne\s+d'anniversaire|(?:tarif|offre|promotion)\s+anniversaire|stock\s+des\s+fêtes|fêter\s+la\s+signature|avant\s+les\s+fêtes|"
        r"après\s+les\s+fêtes",
    ),
}

FIRST_PERSON = (
    r"(?:\b(?:je|moi|mon|ma|mes|me)\b|\b[jm]['’])"
    # Sans sujet, à la manière d'un journal : "De retour de Crète", "Enfin vu Oppenheimer".
    r"|^\W*(?:de\s+retour|rentrée?s?|enfin|tout\s+juste\s+rentrée?s?|bien\s+rentrée?s?)\b"
)
PLURAL_PERSON = r"\b(?:nous|notre|nos|on)\b"
BUSINESS = (
    r"\b(?:commandes?|factures?|devis|contrats?|contrat-cadre|tarifs?|grille\s+tarifaire|références|stock|campagne|clients?|"
    r"clientèle|sponsoring|plateforme|segment(?:ation)?|pôle|budget|pilote|projet|entrepôt|livraisons?|"
    r"fournisseurs?|licences?|solution|feuille\s+de\s+route|chiffre\s+d'affaires|marge|ventes|marketing|"
    r"rapport|tableau\s+de\s+bord|lancement|produits?|gamme|promotion|remise|accord|distributeur|mutuelle|"
    r"politique|planning|support|webinaire|démos?|intégration|appel\s+d'offres|conformité|prestataire|"
    r"trésorerie|entreprises?|renouvellement|déploiement|jalons?|migration|incident|partenariat|fidélité|"
    r"tenant|paie|connecteur|cluster|latence|nœuds?|serveurs?|base\s+de\s+données|bannières?|proposition|"
    r"juridique|article|territoire|mise\s+en\s+production|mises\s+en\s+production|gel|prévisions|revue|"
    r"trimestrielle|achats|forfait|abonnement|outil|logiciel|application|api|paiements?|logistique|"
    r"distribution|secteur|rayon|canal|crm|erp|escalade\s+du\s+ticket|offre|bureaux|atelier|"
    r"administrateurs|utilisateurs|société\s+de\s+production|demande\s+de\s+crédit|congés\s+payés|audit|actifs|"
    r"prévisions|volumes?|connecteurs?|astreinte|centre\s+de\s+services|chiffrer|trimestre|horaires|"
    r"magasins?|boutiques|séminaire|formation|comité|votre\s+équipe|vos\s+équipes|"
    r"signature|registre|module|avenant|mise\s+en\s+service|recrutement|effectifs|"
    r"collaborateurs|événement\s+client|visite\s+client|siège|sommet|conférence|congrès|kick-off|événement|notes?\s+de\s+frais|catégorie|pic\s+d'activité|voyagiste|tour-opérateur|opérateur|présentoirs?|plv|stand|livrer|livrée?s?)s?\b"
)

for _table, _more in ((STRONG, STRONG_MORE), (WEAK, WEAK_MORE), (TRAPS, TRAPS_MORE)):
    for _topic, _patterns in _more.items():
        _table[_topic] = _table.get(_topic, ()) + _patterns
