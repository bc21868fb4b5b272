"""French intent lexicon (see :class:`connector.insights.notes.lexicon.Lexicon`)."""

from __future__ import annotations

import re

from connector.insights.notes.lexicon import Lexicon, words

_IMPERATIVE = (
    r"préparer|preparer|envoyer|renvoyer|mettre\s+à\s+jour|rédiger|rediger|finaliser|relancer|réserver|reserver|"
    r"commander|vérifier|verifier|confirmer|organiser|planifier|caler|transmettre|signer|faire|compléter|"
    r"répondre|demander|contacter|écrire|ecrire|penser\s+à|ne\s+pas\s+oublier|appeler|rappeler|téléphoner|"
    r"telephoner|rencontrer|visiter|fixer|prévoir|prevoir|inviter|proposer|chiffrer|mettre\s+en\s+place|"
    r"obtenir|valider|récupérer|recuperer|relire|corriger|établir|etablir|lancer|créer|creer|saisir|facturer|"
    r"s'assurer|voir\s+avec|faire\s+valider|faire\s+signer|revenir\s+vers|renvoyer|recontacter|solliciter|"
    r"pense\s+à|pensez\s+à|n'oublie\s+pas|n'oubliez\s+pas|oublie\s+pas|oubliez\s+pas|bloquer|réserver|émettre|emettre|enregistrer|noter|ouvrir|imprimer|tester|annuler|traiter|renseigner|remplir|"
    r"installer|configurer|rembourser|régler|regler|suivre|faire\s+suivre|mettre\s+à\s+jour|contrôler|controler"
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
                      r"conférence", r"tête-à-tête", r"en\s+présentiel", r"séminaire", r"entrevue", r"démonstration",
                      r"apéro", r"afterwork", r"salon", r"comité", r"soirée", r"petit\s+déj\w*", r"immersion",
                      r"réunion\s+de\s+lancement", r"kick-?off", r"point\s+de\s+suivi", r"revue", r"visioconf\w*",
                      r"point\s+(?:mensuel|trimestriel|projet|d'avancement)", r"se\s+voir", r"se\s+rencontrer",
                      r"passer\s+(?:les\s+|la\s+)?voir", r"walkthrough", r"déplacement\s+chez", r"créneau",
                      r"(?:nous|vous)\s+voir",
                      r"revue\s+(?:d'architecture|technique|de\s+sécurité|de\s+contrat|budgétaire)"),
    call=words(r"appeler", r"apeler", r"appeller", r"rapeler", r"appelle", r"appel(?!\s+d'offres?)", r"rappeler",
               r"rappelle", r"rappel(?!\s*:)",
               r"téléphoner", r"telephoner", r"t[ée]l\.?(?=\s+(?:à|a|au|avec)\b)",
               r"téléphone", r"coup\s+de\s+fil", r"entretien\s+téléphonique",
               r"(?<=rdv\s)téléphonique", r"(?<=rendez-vous\s)téléphonique",
               r"point\s+téléphonique", r"relance\s+téléphonique",
               r"par\s+téléphone", r"call"),
    task=words(r"il\s+faut", r"(?<!rien\s)à\s+faire", r"(?<!rien\s)a\s+faire", r"penser\s+à",
               r"ne\s+pas\s+oublier", r"je\s+dois",
               r"je\s+(?:rédige|prépare|relance|vérifie|transmets|m'en\s+occupe|fais)", r"j'envoie",
               r"(?:doit|doivent|devra|devront)\s+[a-zàâçéèêëîïôûù]+(?:er|ir|re)",
               r"(?:attend|attendent|veut|veulent|souhaite|souhaitent)\s+(?:une?|notre|la|le)\s+"
               r"(?:proposition|offre|devis|contrat|chiffrage)",
               r"on\s+doit", r"nous\s+devons", r"je\s+vais", r"je\s+m'occupe", r"rappel\s*:", r"todo",
              r"(?:il\s+)?faudr(?:a|ait)", r"il\s+va\s+falloir", r"tu\s+dois", r"vous\s+devez", r"je\s+me\s+charge",
              r"je\s+m'en\s+charge", r"je\s+(?:lui|leur)\s+(?:envoie|transmets|prépare|fais)", r"je\s+reviens\s+vers",
              r"action\s*:", r"(?:à|a)\s+prévoir\s*:", r"ne\s+pas\s+oublier\s*:", r"n'oublie\s+pas\s*:",
              r"faut(?=\s+[a-zàâçéèêëîïôûù]+(?:er|ir|re)\b)",
              r"(?<!prêt\s)(?<!prêts\s)(?<!prête\s)à\s+(?:envoyer|renvoyer|retourner|préparer|faire\s+signer|contresigner|"
              r"signer|valider|relancer|finaliser|chiffrer|compléter|refaire|reprendre|modifier|ajuster|payer|commander|"
              r"completer|remplir|mettre\s+à\s+jour|revoir|"
              r"corriger|vérifier|verifier|confirmer|rédiger|rediger|transmettre)",
              r"reste\s+à", r"en\s+attente\s+de\s+(?:notre|ma)\s+\w+",
              r"(?:peux|pourrais|pouvez|pourriez)-(?:tu|vous)\s+(?:\w+\s+)?(?:" + _IMPERATIVE + r")"),
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
                       r"conditions\s+générales", r"conditions\s+(?:de\s+|d')\w+", r"cgv", r"cgu",
                       r"feuilles?\s+de\s+route", r"roadmap", r"retours?\s+d'expérience", r"témoignages?",
                       r"enregistrements?", r"replay", r"deck", r"slides", r"comparatifs?", r"benchmarks?",
                       r"fiches?\s+\w+", r"mode\s+d'emploi", r"faq", r"argumentaires?", r"tarifications?",
                       r"(?:étude|calculateur)\s+(?:de\s+)?roi", r"soc\s*-?\s*[12]", r"iso\s*\d+", r"sla",
                       r"kit\s+\w+", r"contenus?", r"supports?\s+\w+", r"spécifications?", r"specs",
                       r"dossiers?\s+(?:de\s+)?(?:présentation|sécurité|conformité)", r"offre\s+de\s+services",
                       r"lien\s+vers", r"maquettes?", r"visuels?", r"logos?", r"newsletters?"),
    content_request=words(r"envoyer", r"envoie", r"envoyez", r"renvoyer", r"transmettre", r"transmets",
                          r"demand\w*", r"partage", r"partagez", r"fais\s+suivre", r"transférer", r"transfère",
                          r"transférez", r"communiquer",
                          r"adresser", r"faire\s+passer", r"réclam\w*", r"fournir",
                          r"transmettez", r"faire\s+parvenir", r"faire\s+suivre", r"partager", r"demande",
                          r"demandé", r"souhaite\s+recevoir", r"voudr\w*", r"aimer\w+", r"copie\s+d[eu']",
                          r"besoin\s+d[eu']",
                          r"veut", r"veulent",
                          r"recevoir", r"obtenir", r"souhait\w*", r"intéressée?s?\s+par", r"cherch\w+", r"adresse[rz]?",
                          r"mailer", r"envoi", r"faire\s+parvenir", r"fais\s+parvenir", r"faites\s+parvenir",
                          r"transf[ée]r\w*", r"partag\w*", r"communiqu\w*", r"donner", r"remettre", r"fournir",
                          r"attend\w*", r"(?:leur|lui)\s+(?:envoyer|transmettre|passer|adresser)", r"appréci\w+"),
    content_done=words(r"envoyée?s?", r"reçue?s?", r"a\s+reçu", r"transmise?s?", r"partagée?s?", r"signée?s?",
                       r"avant\s+de\s+(?:partager|transmettre|envoyer)"),
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
                r"reportée?s?", r"report\s+(?:du|de\s+la|des)", r"toujours\s+pas\s+"
                r"(?:réglée?s?|payée?s?|reçue?s?|livrée?s?|"
                r"résolue?s?|corrigée?s?|signée?s?)", r"non\s+(?:réglée?s?|payée?s?|livrée?s?|conformes?)",
                r"pas\s+(?:encore\s+)?(?:réglée?s?|payée?s?)", r"failles?", r"vulnérabilités?", r"brèches?", r"fuites?",
                r"doublons?", r"dupliquée?s?", r"facturée?s?\s+deux\s+fois", r"double\s+facturation",
                r"erreurs?\s+de\s+facturation", r"écarts?", r"anomalies?", r"coupures?", r"interruptions?",
                r"indisponib\w+", r"inaccessible", r"impossible\s+de", r"n'arrive\s+(?:pas|plus)", r"ne\s+parvien\w+",
                r"s'impatient\w*", r"impatient\w*", r"agacement", r"mécontentement", r"grogne", r"râle\w*",
                r"menace\s+de", r"envisage\w*\s+de\s+(?:changer|partir|résilier|quitter)", r"mise\s+en\s+concurrence",
                r"remise?\s+en\s+(?:question|cause)", r"hésit\w+", r"réticen\w+", r"freins?", r"rupture\s+de\s+stock",
                r"pénurie", r"non-conformité", r"casse", r"livraison\s+incomplète", r"colis\s+perdu", r"contentieux",
                r"mise\s+en\s+demeure", r"mauvais\s+\w+", r"régression", r"ralentissements?", r"plainte\w*",
                r"dépassement\s+(?:de\s+)?(?:budget|délai)", r"hors\s+budget", r"en\s+souffrance",
                r"relance\s+de\s+paiement",
                r"facture\w*\s+(?:en\s+)?(?:retard|impayée?s?|en\s+attente)", r"gelée?s?", r"suspendue?s?",

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
                  r"nouvelle\s+(?:dg|daf|dsi|directrice|responsable|décideuse|acheteuse)", r"recommandée?\s+par",
                  r"nouve(?:au|l|lle)\s+(?:[\w'-]+\s+){0,2}(?:directeur|directrice|responsable|chef|acheteur|acheteuse|"
                  r"gestionnaire|chargée?|assistante?|contrôleur|contrôleuse|juriste|ingénieure?|commerciale?|"
                  r"interlocut\w+|contact|dg|daf|dsi|pdg|drh|cfo|ceo|cto|cio|décideu\w+|sponsor|référente?|"
                  r"correspondante?|manager|président\w*|vp)",
                  r"mise?\s+en\s+contact", r"(?:m'|nous\s+)?(?:a|ont)\s+mise?s?\s+en\s+(?:contact|relation)",
                  r"remplaçante?", r"remplace", r"remplacée?\s+(?:\w+\s+){0,4}par", r"succède", r"successeur",
                  r"(?:a\s+)?pris\s+la\s+suite",
                  r"reprend\s+le\s+dossier", r"suit\s+(?:désormais\s+)?le\s+dossier", r"désormais\s+(?:en\s+charge|"
                  r"responsable|notre\s+contact|l'interlocut\w+)", r"(?:être|mettre)\s+en\s+copie",
                  r"coordonnées", r"joignable\s+(?:au|à|sur|par)", r"présenté\w*\s+(?:à|par)", r"qui\s+reprend",
                  r"prend\s+le\s+relais", r"reprend\s+(?:le|la)\s+(?:suivi|relation|compte)",
                  r"c'est\s+désormais", r"notre\s+nouveau\s+contact", r"notre\s+nouvelle\s+contact"),
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
