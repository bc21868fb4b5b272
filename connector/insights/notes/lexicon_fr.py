"""French intent lexicon (see :class:`connector.insights.notes.lexicon.Lexicon`)."""

from __future__ import annotations

import re

from connector.insights.notes.lexicon import Lexicon, words

_IMPERATIVE = (
    r"préparer|preparer|envoyer|renvoyer|mettre\s+à\s+jour|rédiger|rediger|finaliser|relancer|réserver|reserver|"
    r"commander|vérifier|verifier|confirmer|organiser|planifier|caler|transmettre|signer|faire|compléter|"
    r"répondre|demander|contacter|écrire|ecrire|penser\s+à|ne\s+pas\s+oublier|appeler|rappeler|téléphoner|"
    r"telephoner|rencontrer|visiter|fixer|prévoir|prevoir|inviter|proposer|chiffrer|mettre\s+en\s+place"
)

LEXICON = Lexicon(
    appointment=words(r"rencontrer", r"rencontre", r"réunion", r"reunion", r"rdv", r"rendez-vous", r"démo", r"demo",
                      r"déjeuner", r"dejeuner", r"déj", r"petit-déj\w*", r"petit-déjeuner", r"dîner", r"diner",
                      r"café", r"visite", r"visiter", r"présentation", r"atelier", r"visio", r"visioconférence",
                      r"point\s+d'étape", r"point\s+hebdo", r"faire\s+un\s+point", r"point\s+rapide", r"point\s+avec",
                      r"sur\s+site", r"formation\s+sur\s+site", r"webinaire", r"webinar", r"séances?",
                      r"sessions?", r"zoom", r"teams", r"webex", r"skype", r"meet",
                      r"revue\s+(?:trimestrielle|annuelle|d'affaires|de\s+compte|de\s+projet|mensuelle)",
                      r"entretien", r"comité\s+de\s+pilotage", r"copil", r"formation", r"soutenance",
                      r"conférence", r"tête-à-tête", r"en\s+présentiel", r"séminaire", r"entrevue"),
    call=words(r"appeler", r"apeler", r"appeller", r"rapeler", r"appelle", r"appel(?!\s+d'offres?)", r"rappeler",
               r"rappelle", r"rappel(?!\s*:)",
               r"téléphoner", r"telephoner", r"t[ée]l\.?(?=\s+(?:à|a|au|avec)\b)",
               r"téléphone", r"coup\s+de\s+fil", r"point\s+téléphonique", r"relance\s+téléphonique",
               r"par\s+téléphone", r"call"),
    task=words(r"il\s+faut", r"(?<!rien\s)à\s+faire", r"(?<!rien\s)a\s+faire", r"penser\s+à",
               r"ne\s+pas\s+oublier", r"je\s+dois",
               r"je\s+(?:rédige|prépare|relance|vérifie|transmets|m'en\s+occupe|fais)", r"j'envoie",
               r"(?:doit|doivent|devra|devront)\s+[a-zàâçéèêëîïôûù]+(?:er|ir|re)",
               r"(?:attend|attendent|veut|veulent|souhaite|souhaitent)\s+(?:une?|notre|la|le)\s+"
               r"(?:proposition|offre|devis|contrat|chiffrage)",
               r"on\s+doit", r"nous\s+devons", r"je\s+vais", r"je\s+m'occupe", r"rappel\s*:", r"todo"),
    imperative=words(_IMPERATIVE),
    request_task=words(r"(?:demandé|demande|demandent|réclame\w*|veut|veulent|attend\w*|souhaite\w*|besoin\s+d')\s*"
                       r"(?:une?|le|la|notre|leur|d'|de\s+)?\s*(?:\w+\s+)?(?:devis|proposition|offre|chiffrage|contrat|questionnaire|formulaire|réponses?|retour|signature)"),
    infinitive=re.compile(r"(?<![\w'])(?!(?:dossier|premier|dernier|hier|cahier|janvier|février|fevrier|quartier|panier|"
                          r"chantier|courrier|métier|papier|atelier|calendrier|fichier|entier|particulier|cher|super|"
                          r"après|être|autre|notre|votre|lettre|centre|titre|membre|nombre|ordre|offre|chiffre|"
                          r"livre|contre|entre|mettre\s+en\s+relation|affaire|facture|heure|mesure|procédure|signature|"
                          r"structure|culture|voiture|ouverture|fermeture|rupture|plaisir|avenir|souvenir|loisir|"
                          r"ministre|fenêtre|semestre|trimestre|registre|filtre|mètre|théâtre|dîner|diner|déjeuner|"
                          r"dejeuner|goûter|souper|webinaire|séminaire|partenaire|salaire|inventaire|commentaire|"
                          r"questionnaire|formulaire|calendaire|gestionnaire|prestataire|fournisseur)\b)"
                          r"[a-zàâçéèêëîïôûù]{3,}(?:er|ir|re)\s+(?:le|la|les|l'|un|une|des|du|de|d'|à|au|aux|avec|mon|ma|"
                          r"mes|notre|nos|leur|leurs|ce|cet|cette|ces|son|sa|ses|en|pour|tout|tous|par)\b",
                          re.IGNORECASE),
    scheduling=words(r"organiser", r"planifier", r"caler", r"fixer", r"prévoir", r"prevoir", r"relancer",
                     r"relance", r"programmer", r"prendre"),
    actionable=words(r"prévue?s?", r"prevue?s?", r"planifiée?", r"à\s+prévoir", r"il\s+faut", r"je\s+vais",
                     r"on\s+va", r"nous\s+allons", r"doit", r"souhaite", r"veut", r"voudrait", r"pourriez",
                     r"pouvez", r"pourrait", r"merci\s+de", r"svp", r"stp", r"à\s+organiser", r"confirmée?"),
    past=words(r"(?:bon|bonne|très\s+bon|très\s+bonne|super|excellent|excellente)\s+(?:rdv|réunion|rendez-vous|"
               r"échange|appel|déjeuner|dîner|démo|visio)",
               r"(?:ai|as|a|avons|avez|ont|j'ai|on\s+a)\s+(?:(?:bien|déjà|deja)\s+)?(?:eu|été|fait|vu|pris|reçu|dit|mis|fini|choisi|compris|\w+ée?s?)",
               r"(?:suis|es|est|sommes|êtes|sont)\s+(?:allée?s?|venue?s?|passée?s?|rendue?s?)",
               r"rencontrée?s?", r"appelée?s?", r"fait", r"passée?", r"envoyée?s?", r"reçue?s?", r"manquée?",
               r"annulée?", r"effectuée?", r"eu\s+lieu", r"dernière?", r"hier", r"visité"),
    content_item=words(r"documentation", r"doc", r"docs", r"plaquettes?", r"brochures?", r"grilles?\s+tarifaires?",
                       r"tarifs?", r"liste\s+de\s+prix", r"catalogues?", r"fiches?\s+(?:produits?|techniques?)",
                       r"références(?:\s+clients?)?", r"livres?\s+blancs?", r"présentation", r"supports?",
                       r"guides?(?:\s+d'\w+)?", r"manuels?", r"notices?", r"études?\s+de\s+cas", r"cas\s+clients?",
                       r"échantillons?", r"vidéos?", r"rapports?", r"dossiers?\s+techniques?", r"attestations?",
                       r"kbis", r"documents?", r"justificatifs?", r"certificats?", r"formulaires?", r"rib",
                       r"paliers?\s+tarifaires?", r"propositions?\s+tarifaires?", r"modèles?", r"synthèses?",
                       r"checklists?", r"fichiers?",
                       r"listes?\s+(?:de\s+|des\s+)?(?:références|prix|clients)", r"déclarations?",
                       r"politiques?", r"chartes?", r"plannings?", r"ordre\s+du\s+jour",
                       r"conditions\s+générales"),
    content_request=words(r"envoyer", r"envoie", r"envoyez", r"renvoyer", r"transmettre", r"transmets",
                          r"demand\w*", r"partage", r"partagez", r"fais\s+suivre", r"transférer", r"transfère",
                          r"transférez", r"communiquer",
                          r"adresser", r"faire\s+passer", r"réclam\w*", r"fournir",
                          r"transmettez", r"faire\s+parvenir", r"faire\s+suivre", r"partager", r"demande",
                          r"demandé", r"souhaite\s+recevoir", r"voudr\w*", r"aimer\w+", r"copie\s+d[eu']",
                          r"besoin\s+d[eu']",
                          r"veut", r"veulent",
                          r"recevoir"),
    content_done=words(r"envoyée?s?", r"reçue?s?", r"a\s+reçu", r"transmise?s?", r"partagée?s?"),
    issue=words(r"plaint\w*", r"plainte", r"se\s+plaint", r"mécontent\w*", r"pas\s+(?:du\s+tout\s+)?content\w*",
                r"pas\s+content\s+du\s+tout", r"pas\s+satisfait\w*", r"insatisf\w*", r"déçu\w*", r"bugs?",
                r"bogues?", r"défauts?", r"défectu\w*", r"pannes?", r"plant\w+", r"erreurs?", r"erroné\w*",
                r"retards?", r"bloqué\w*", r"bloquant\w*", r"lente?s?", r"lenteurs?", r"risques?", r"menace\w*",
                r"escalad\w*", r"résili\w*", r"contest\w*", r"litiges?", r"réclamations?", r"problèmes?",
                r"trop\s+cher", r"glisser", r"perte\s+du\s+compte", r"refuse\w*", r"en\s+colère", r"furieux",
                r"contrarié\w*", r"menac\w*", r"cass[ée]e?s?", r"nerveu\w+",
                r"(?:partir|passer|aller|basculer)\s+chez\s+(?:un|le|la)\s+concurrente?",
                r"agacée?s?", r"mauvaise?\s+\w+", r"gênante?s?", r"incorrecte?s?", r"instable",
                r"signale\w*\s+(?:un|des|une)\s+\w+", r"énervée?s?", r"exaspérée?s?", r"irritée?s?",
                r"furieuse", r"impayée?s?", r"décalée?s?", r"pas\s+ravie?s?", r"accus\w+", r"repoussée?s?",
                r"gel\s+budgétaire", r"gliss\w*", r"soucis?", r"difficultés?", r"en\s+danger", r"abîmée?s?",
                r"abimée?s?",
                r"endommagée?s?", r"cassée?s?", r"ne\s+fonctionne\s+(?:pas|plus)", r"ne\s+marche\s+(?:pas|plus)",
                r"dysfonctionnements?", r"incidents?", r"inquiète?s?", r"inquiétudes?", r"insatisfaction",
                r"en\s+retard", r"pénalités?", r"en\s+suspens", r"coupes?\s+budgétaires?", r"manquante?s?",
                r"défectueu\w+", r"hs", r"pas\s+satisfaite?s?", r"blocages?", r"perte\s+de\s+données",
                r"données\s+perdues"),
    issue_negation=words(r"pas\s+de\s+(?:problèmes?|soucis|risques?|retards?)",
                         r"aucun\s+(?:problème|souci|risque|retard)",
                         r"sans\s+(?:problèmes?|soucis|retards?)",
                         r"aucune?\s+(?:plainte|réclamation|souci|incident|bug|retard)s?",
                         r"pas\s+de\s+(?:plainte|réclamation|souci|incident|bug)s?", r"résolue?s?", r"corrigée?s?"),
    contact=words(r"je\s+vous\s+présente", r"je\s+te\s+présente", r"nouveau\s+contact", r"nouvel\s+interlocuteur",
                  r"nouvelle\s+interlocutrice", r"mettre\s+en\s+relation", r"mets\s+en\s+relation",
                  r"met\s+en\s+relation", r"(?:nous|m')\s*(?:a|ont)\s+présentée?s?", r"mise\s+en\s+relation",
                  r"(?:me|nous)\s+présenter",
                  r"nouveau\s+(?:dg|daf|dsi|directeur|responsable|décideur|acheteur)",
                  r"nouvelle\s+(?:dg|daf|dsi|directrice|responsable|décideuse|acheteuse)", r"recommandée?\s+par"),
    due=words(r"avant", r"d'ici", r"pour", r"au\s+plus\s+tard", r"jusqu'à"),
    role=words(r"(?:directeur|directrice)(?:\s+(?:commercial|commerciale|financier|financière|général|générale|"
               r"technique|des\s+\w+|TI|informatique|achats))?", r"responsable(?:\s+(?:des\s+)?\w+)?", r"dg", r"daf",
               r"dsi", r"pdg", r"chef\s+de\s+projet", r"acheteuse?", r"gérante?", r"ingénieure?", r"consultante?",
               r"associée?", r"présidente?"),
    title=words(r"m\.", r"mme\.?", r"mlle\.?", r"monsieur", r"madame"),
    stop_names=frozenset(
        "Je Nouveau Nouvelle Contact Merci Bonjour DG DAF DSI PDG Le La Les Mon Ma Mes Notre Nos Leur Chez M Mme "
        "Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche RDV Appeler Rappeler TI".split()
    ),
    contact_hint=words(r"interlocut\w+", r"assistante?", r"adjointe?", r"souhaite\s+participer", r"rejoint",
                       r"va\s+rejoindre", r"gère", r"s'occupe", r"en\s+charge",
                       r"chargée?\s+de", r"responsable\s+de", r"contact", r"s'appelle", r"joignable", r"portable"),
    delegation=re.compile(r"(?<![\w.])[A-ZÉ][a-zéèï]+\s+doit\s+\w+"),
)

MARKERS = frozenset(
    "le la les de des du et à au aux avec pour un une est sont nous vous ils elle il on sur dans chez pas ne "
    "demain aujourd'hui hier semaine prochain prochaine rdv réunion appeler envoyer merci client mois fin "
    "lundi mardi mercredi jeudi vendredi matin soir après ce cette qui que".split()
)
