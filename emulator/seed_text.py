"""Words and grammars of the demo generator: people, companies, subjects and e-mail bodies (EN and FR).

Everything is written here (no external data). E-mail bodies may carry personal topics (for talking
points) and "trap" phrases that use a topic word in a business sense (for false-positive tests); the
caller gets back which topics a body really contains.
"""

from __future__ import annotations

import random

from emulator.seed_util import pick

FIRST_EN = ("James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
            "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Chris", "Karen",
            "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra", "Steven", "Ashley",
            "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle", "Kevin", "Amanda", "Brian", "Melissa",
            "George", "Rebecca", "Edward", "Laura", "Ryan", "Olivia", "Jacob", "Hannah", "Gary", "Grace",
            "Nathan", "Chloe", "Tyler", "Megan", "Aaron", "Rachel", "Owen", "Zoe", "Ian", "Priya")
LAST_EN = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
           "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
           "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams",
           "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker",
           "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson",
           "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward", "Cox", "Patel", "Nguyen", "O'Brien")
FIRST_FR = ("Jean", "Marie", "Pierre", "Nathalie", "Michel", "Isabelle", "Philippe", "Sylvie", "Alain", "Catherine",
            "Nicolas", "Sophie", "Christophe", "Valérie", "Laurent", "Sandrine", "Julien", "Céline", "Stéphane",
            "Aurélie", "Sébastien", "Émilie", "Frédéric", "Julie", "Olivier", "Camille", "Thierry", "Claire",
            "François", "Hélène", "Mathieu", "Élodie", "Antoine", "Caroline", "Guillaume", "Laure", "Vincent",
            "Manon", "Benoît", "Chloé", "Rémi", "Léa", "Hugo", "Inès", "Louis", "Margaux", "Théo", "Anaïs",
            "Yannick", "Agnès", "Jérôme", "Delphine", "Arnaud", "Mélanie", "Cédric", "Gaëlle", "Damien", "Noémie",
            "Karim", "Fatima")
LAST_FR = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
           "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
           "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
           "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
           "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier",
           "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Benali",
           "Tremblay")

COUNTRIES = (  # country, weight, language share FR, cities, UTC offset (h), legal forms
    ("France", 30, 1.0, ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille", "Bordeaux", "Rennes"), 1,
     ("SAS", "SA", "SARL")),
    ("Belgium", 5, 0.7, ("Bruxelles", "Liège", "Namur", "Antwerpen"), 1, ("SA", "SRL", "NV")),
    ("Canada", 10, 0.5, ("Montréal", "Québec", "Toronto", "Vancouver"), -5, ("Inc.", "Ltée", "Corp.")),
    ("Switzerland", 5, 0.6, ("Genève", "Lausanne", "Zürich", "Basel"), 1, ("SA", "AG", "Sàrl")),
    ("United Kingdom", 15, 0.0, ("London", "Manchester", "Bristol", "Leeds", "Edinburgh"), 0, ("Ltd", "plc", "LLP")),
    ("United States", 30, 0.0, ("New York", "Chicago", "Boston", "Austin", "Seattle", "Denver", "Atlanta"), -6,
     ("Inc.", "LLC", "Corp.")),
    ("Germany", 5, 0.0, ("Berlin", "München", "Hamburg", "Köln"), 1, ("GmbH", "AG", "KG")),
)
ROOTS = ("Alder", "Blue Harbor", "Castel", "Norvik", "Brightwater", "Quercus", "Helios", "Marlow", "Vireo",
         "Stonebridge", "Lumen", "Orchard", "Kestrel", "Altitude", "Cobalt", "Silverline", "Redwood", "Meridian",
         "Granite", "Boréal", "Azur", "Rivage", "Vallée", "Horizon", "Atlas", "Polaris", "Sequoia", "Tamaris",
         "Cèdre", "Lys", "Onyx", "Pioneer", "Summit", "Harbor Point", "Fjord", "Caravel", "Nimbus", "Zephyr",
         "Beacon", "Evergreen", "Iris", "Opale", "Saphir", "Clairière", "Hêtre", "Prairie", "Verdant", "Northwind",
         "Tailspin", "Fabrikam", "Litware", "Woodgrove", "Adatum", "Proseware", "Wingtip", "Trey", "Lucerne")
SECTOR_WORDS = ("Logistics", "Foods", "Systems", "Industries", "Consulting", "Health", "Energy", "Capital",
                "Retail", "Manufacturing", "Labs", "Transport", "Media", "Solutions", "Conseil", "Services",
                "Distribution", "Technologies", "Assurances", "Bâtiment", "Agro", "Pharma", "Software")
JOBS_EN = (("CEO", 3), ("CFO", 3), ("CIO", 3), ("VP Sales", 2), ("VP Operations", 2), ("Head of IT", 2),
           ("Procurement Director", 2), ("Operations Manager", 1), ("IT Manager", 1), ("Project Manager", 1),
           ("Purchasing Manager", 1), ("Office Manager", 0), ("Analyst", 0), ("Engineer", 0),
           ("Executive Assistant", 0), ("Consultant", 0))
JOBS_FR = (("PDG", 3), ("Directeur financier", 3), ("DSI", 3), ("Directrice commerciale", 2),
           ("Directeur des opérations", 2), ("Responsable informatique", 2), ("Directrice des achats", 2),
           ("Responsable d'exploitation", 1), ("Chef de projet", 1), ("Acheteur", 1), ("Responsable achats", 1),
           ("Assistante de direction", 0), ("Analyste", 0), ("Ingénieur", 0), ("Comptable", 0), ("Consultant", 0))
SELLER_TITLES = {"en": ("Account Executive", "Sales Representative", "Key Account Manager", "Business Developer"),
                 "fr": ("Ingénieur commercial", "Chargée d'affaires", "Responsable grands comptes",
                        "Business developer")}
PRODUCTS = {"en": ("CRM licences", "support contract", "onboarding package", "data platform", "analytics add-on",
                   "field service module", "training days", "cloud migration", "hardware refresh",
                   "maintenance plan", "integration project", "security audit"),
            "fr": ("licences CRM", "contrat de support", "pack d'intégration", "plateforme de données",
                   "module analytique", "module intervention terrain", "journées de formation",
                   "migration cloud", "renouvellement matériel", "contrat de maintenance", "projet d'intégration",
                   "audit de sécurité")}
FREE_MAIL = ("gmail.com", "outlook.com", "yahoo.com", "hotmail.fr", "orange.fr", "free.fr")


def person(rnd: random.Random, lang: str) -> tuple[str, str]:
    """A (first, last) name for a speaker of ``lang`` (``en`` or ``fr``)."""
    if lang == "fr":
        return pick(rnd, FIRST_FR), pick(rnd, LAST_FR)
    return pick(rnd, FIRST_EN), pick(rnd, LAST_EN)


def ascii_slug(text: str) -> str:
    """Lowercase ASCII letters and digits only (for e-mail local parts and domains)."""
    table = str.maketrans("àâäáçéèêëíîïñóôöúùûüÿ", "aaaaceeeeiiinooouuuuy")
    return "".join(ch for ch in text.lower().translate(table) if ch.isalnum())


def company(rnd: random.Random, legal_forms: tuple[str, ...]) -> str:
    """A made-up company name."""
    root = pick(rnd, ROOTS)
    form = pick(rnd, legal_forms)
    if rnd.random() < 0.75:
        return f"{root} {pick(rnd, SECTOR_WORDS)} {form}"
    return f"{root} {form}"


def job(rnd: random.Random, lang: str) -> tuple[str, int]:
    """A job title and its seniority (0 junior … 3 executive)."""
    return pick(rnd, JOBS_FR if lang == "fr" else JOBS_EN)


# --- subjects ------------------------------------------------------------------------------------------

_EMAIL_SUBJECTS = {
    "en": ("Proposal for {p}", "Follow-up on our meeting", "Question about the {p}", "Quote request: {p}",
           "Next steps", "Pricing for the {p}", "Invoice {n}", "Contract renewal", "Checking in",
           "Your {p} questions", "Agenda for Thursday", "Re-scheduling our call", "Documentation for the {p}",
           "Delivery timeline", "Intro: {p}", "Feedback on the pilot"),
    "fr": ("Proposition pour {p}", "Suite à notre rendez-vous", "Question sur {p}", "Demande de devis : {p}",
           "Prochaines étapes", "Tarifs {p}", "Facture {n}", "Renouvellement du contrat", "Des nouvelles ?",
           "Vos questions sur {p}", "Ordre du jour de jeudi", "Report de notre appel", "Documentation {p}",
           "Délais de livraison", "Présentation : {p}", "Retour sur le pilote"),
}
_CALL_SUBJECTS = {"en": ("Call with {c}", "Discovery call", "Follow-up call", "Pricing call", "Check-in call",
                         "Support escalation call", "Call back re: {p}"),
                  "fr": ("Appel avec {c}", "Appel de découverte", "Appel de suivi", "Appel tarifs", "Point rapide",
                         "Appel escalade support", "Rappel : {p}")}
_MEETING_SUBJECTS = {"en": ("Meeting with {c}", "Quarterly business review", "Demo of the {p}", "Workshop: {p}",
                            "Lunch with {c}", "Kick-off {p}", "Negotiation meeting"),
                     "fr": ("Rendez-vous avec {c}", "Revue trimestrielle", "Démo {p}", "Atelier : {p}",
                            "Déjeuner avec {c}", "Lancement {p}", "Réunion de négociation")}
_TASK_SUBJECTS = {"en": ("Send proposal", "Prepare quote for {p}", "Update account plan", "Send price list",
                         "Follow up on invoice", "Book demo", "Check references", "Draft contract"),
                  "fr": ("Envoyer la proposition", "Préparer le devis {p}", "Mettre à jour le plan de compte",
                         "Envoyer la grille tarifaire", "Relancer la facture", "Planifier la démo",
                         "Vérifier les références", "Rédiger le contrat")}
LOCATIONS = ("Microsoft Teams meeting", "Customer office", "Our office", "Zoom", "Café near the station",
             "Salle Horizon", "Visio Teams", "Sur site client")


def activity_subject(rnd: random.Random, kind: str, lang: str, contact_name: str) -> str:
    """A subject line for an activity of ``kind`` (email, phonecall, appointment, task)."""
    table = {"email": _EMAIL_SUBJECTS, "phonecall": _CALL_SUBJECTS, "appointment": _MEETING_SUBJECTS,
             "task": _TASK_SUBJECTS}[kind][lang]
    return pick(rnd, table).format(p=pick(rnd, PRODUCTS[lang]), c=contact_name, n=10000 + int(rnd.random() * 90000))


def reply_subject(subject: str, lang: str) -> str:
    """The subject of a reply (``RE:``/``RE :`` once, as mail clients do)."""
    if subject.upper().startswith("RE"):
        return subject
    return ("RE : " if lang == "fr" else "RE: ") + subject


# --- e-mail bodies --------------------------------------------------------------------------------------

_GREET = {"en": ("Hi {n},", "Hello {n},", "Dear {n},", "{n},", "Good morning {n},"),
          "fr": ("Bonjour {n},", "Cher {n},", "Bonjour,", "{n},", "Salut {n},")}
_SIGN = {"en": ("Best regards,", "Thanks,", "Kind regards,", "Cheers,", "Best,"),
         "fr": ("Cordialement,", "Bien à vous,", "Merci,", "Belle journée,", "Bien cordialement,")}
_BUSINESS = {
    "en": ("Thanks for your time today. As discussed, I attach the updated proposal for the {p}.",
           "Could you confirm the number of users for the {p}? We need it to finalise the quote.",
           "Following our call, here is a summary of the open points on the {p}.",
           "We reviewed the draft internally and have a few questions about the payment terms.",
           "The pilot went well and the team would like to extend it to two more sites.",
           "Please find the invoice attached. Let me know if anything needs to be corrected.",
           "Our procurement team asked for a revised price including the {p}.",
           "Can we move the review to next week? Thursday no longer works for us.",
           "I checked with our engineers: the integration can be delivered in six weeks.",
           "We have not heard back from legal yet; I will chase them."),
    "fr": ("Merci pour votre temps aujourd'hui. Comme convenu, je vous joins la proposition mise à jour pour {p}.",
           "Pouvez-vous me confirmer le nombre d'utilisateurs pour {p} ? Nous en avons besoin pour finaliser le devis.",
           "Suite à notre échange, voici un résumé des points ouverts sur {p}.",
           "Nous avons relu le projet en interne et avons quelques questions sur les conditions de paiement.",
           "Le pilote s'est bien passé et l'équipe souhaite l'étendre à deux autres sites.",
           "Veuillez trouver la facture ci-jointe. N'hésitez pas si quelque chose doit être corrigé.",
           "Notre service achats demande un prix révisé incluant {p}.",
           "Pouvons-nous décaler la revue à la semaine prochaine ? Jeudi ne nous convient plus.",
           "J'ai vérifié avec nos ingénieurs : l'intégration peut être livrée en six semaines.",
           "Nous n'avons pas encore de retour du juridique ; je les relance."),
}
TRAPS = {
    "en": ("Attached is the confirmation for the sports equipment order placed by your warehouse.",
           "Our family of products now includes a mobile app.",
           "The health check of your servers is scheduled as part of the maintenance plan.",
           "The entertainment budget line was removed from the revised quote.",
           "Our holiday opening hours are listed in the contract annex.",
           "The food and beverage segment is covered by the same price list."),
    "fr": ("La santé financière de votre filiale n'est pas un sujet pour notre offre.",
           "Ci-joint la confirmation de la commande de matériel de sport passée par votre entrepôt.",
           "Notre famille de produits comprend désormais une application mobile.",
           "Le bilan de santé de vos serveurs est prévu dans le contrat de maintenance.",
           "Les congés de l'équipe projet sont déjà intégrés au planning de livraison.",
           "Le secteur de la restauration est couvert par la même grille tarifaire."),
}
PERSONAL = {
    "family": {"en": ("My daughter just started school, so mornings are a bit hectic at home.",
                      "We welcomed our second child last month, hence the slow replies!",
                      "My parents are visiting this week, so I'll be offline on Friday."),
               "fr": ("Ma fille vient d'entrer à l'école, les matins sont un peu sportifs à la maison.",
                      "Nous avons accueilli notre deuxième enfant le mois dernier, d'où mes réponses lentes !",
                      "Mes parents viennent nous voir cette semaine, je serai absent vendredi.")},
    "sports": {"en": ("Did you watch the match on Sunday? What a finish!",
                      "I ran my first half marathon at the weekend, legs still hurt.",
                      "Our son's football team made it to the regional final."),
               "fr": ("Vous avez vu le match dimanche ? Quelle fin !",
                      "J'ai couru mon premier semi-marathon ce week-end, j'ai encore mal aux jambes.",
                      "L'équipe de foot de mon fils est en finale régionale.")},
    "vacation": {"en": ("I'm just back from two weeks of skiing in the Alps.",
                        "We are off to Portugal in August, any tips for Lisbon?",
                        "Back from vacation, catching up on emails."),
                 "fr": ("Je rentre tout juste de deux semaines de ski dans les Alpes.",
                        "Nous partons au Portugal en août, des conseils pour Lisbonne ?",
                        "De retour de vacances, je rattrape mes mails.")},
    "health": {"en": ("Sorry for the delay, I was down with the flu all week.",
                      "I had knee surgery, so I'm working from home for a while.",
                      "Feeling much better after the hospital stay, thanks for asking."),
               "fr": ("Désolé pour le retard, j'ai eu la grippe toute la semaine.",
                      "J'ai été opéré du genou, je télétravaille pour quelque temps.",
                      "Je me sens beaucoup mieux après mon séjour à l'hôpital, merci.")},
    "entertainment": {"en": ("We finally saw the new Bond film, you were right about it.",
                             "Went to a great jazz concert on Saturday.",
                             "Have you started the new season of that series you recommended?"),
                      "fr": ("Nous avons enfin vu le dernier film au cinéma, vous aviez raison.",
                             "Super concert de jazz samedi soir.",
                             "Avez-vous commencé la nouvelle saison de la série que vous m'aviez conseillée ?")},
    "food": {"en": ("Thanks again for the restaurant tip, the tasting menu was superb.",
                    "I've been trying to bake sourdough bread, with mixed results."),
             "fr": ("Merci encore pour l'adresse du restaurant, le menu dégustation était superbe.",
                    "J'essaie de faire mon pain au levain, avec des résultats mitigés.")},
    "hobbies": {"en": ("I spent the weekend in the garden planting tomatoes.",
                       "Picked up the guitar again after ten years."),
                "fr": ("J'ai passé le week-end au jardin à planter des tomates.",
                       "J'ai repris la guitare après dix ans.")},
    "celebrations": {"en": ("It was my birthday yesterday, the team surprised me with a cake.",
                            "We are celebrating our 10th wedding anniversary this weekend."),
                     "fr": ("C'était mon anniversaire hier, l'équipe m'a fait la surprise d'un gâteau.",
                            "Nous fêtons nos 10 ans de mariage ce week-end.")},
}
TOPICS = tuple(PERSONAL)

ALSO = {
    "Our son's football team made it to the regional final.": ("family",),
    "L'équipe de foot de mon fils est en finale régionale.": ("family",),
    "I'm just back from two weeks of skiing in the Alps.": ("sports",),
    "Je rentre tout juste de deux semaines de ski dans les Alpes.": ("sports",),
}
"""Personal sentences that mention a second topic by the labelling convention (a family member
mentioned is family; a ski trip is sports as well as vacation): the truth lists both."""


def topics_in(body: str, topics: list[str] | tuple[str, ...]) -> list[str]:
    """The truth's topics of a body written with ``topics``: those, plus the second topics of its sentences."""
    out = list(topics)
    for sentence, extra in ALSO.items():
        if sentence in body:
            out.extend(t for t in extra if t not in out)
    return out


def email_body(rnd: random.Random, lang: str, to_first: str, from_name: str, *, topics: tuple[str, ...] = (),
               trap: bool = False, quote: str | None = None) -> str:
    """An HTML e-mail body in ``lang`` with the given personal ``topics`` (and a trap phrase if ``trap``).

    ``quote`` is the plain text of the message replied to, appended as a quoted block (as clients do).
    """
    paras = [pick(rnd, _GREET[lang]).format(n=to_first)]
    personal = [pick(rnd, PERSONAL[t][lang]) for t in topics]
    if personal and rnd.random() < 0.5:
        paras.extend(personal)
        personal = []
    product = pick(rnd, PRODUCTS[lang])
    lines = _BUSINESS[lang]
    first = int(rnd.random() * len(lines))
    for j in range(1 + int(rnd.random() * 3)):
        # A step of 3 through 10 lines never repeats a line within three picks.
        paras.append(lines[(first + 3 * j) % len(lines)].format(p=product))
    if trap:
        paras.insert(1 + int(rnd.random() * len(paras)), pick(rnd, TRAPS[lang]))
    paras.extend(personal)
    paras.append(f"{pick(rnd, _SIGN[lang])}<br>{from_name}")
    html = "".join(f"<p>{p}</p>" for p in paras)
    if quote:
        html += f"<blockquote>{quote[:400]}</blockquote>"
    return f"<html><body>{html}</body></html>"


def call_description(rnd: random.Random, lang: str) -> str:
    """A short phone-call log line."""
    en = ("Discussed pricing and next steps.", "Left a voicemail.", "Customer asked for references.",
          "Went through the open support tickets.", "Agreed on the pilot scope.", "No answer, will retry.")
    fr = ("Échange sur les tarifs et les prochaines étapes.", "Message laissé sur répondeur.",
          "Le client demande des références.", "Revue des tickets de support ouverts.",
          "Accord sur le périmètre du pilote.", "Pas de réponse, je réessaie.")
    return pick(rnd, fr if lang == "fr" else en)


def newsletter(rnd: random.Random) -> tuple[str, str, str, str]:
    """A mass mailing: (sender name, sender address, subject, HTML body) from a no-reply or newsletter sender."""
    senders = (("Tech Weekly", "newsletter@techweekly.example"), ("No Reply", "no-reply@billing.cloudvendor.example"),
               ("Events Team", "events@expo-paris.example"), ("LinkedIn", "notifications-noreply@linkedin.com"),
               ("IT Service Desk", "noreply@servicedesk.internal.example"),
               ("Webinar Hub", "do-not-reply@webinars.example"))
    subjects = ("Your weekly digest", "Invoice available", "Register now: Sales Summit", "You appeared in 5 searches",
                "Planned maintenance this weekend", "Last chance: free webinar", "Votre lettre d'information",
                "Offre spéciale partenaires")
    name, address = pick(rnd, senders)
    subject = pick(rnd, subjects)
    body = (f"<html><body><p>{subject}.</p><p>This message was sent to a distribution list. "
            f"To unsubscribe, follow the link in your preferences.</p></body></html>")
    return name, address, subject, body

INDUSTRY_LABEL = {6: "business services provider", 7: "consulting firm", 12: "durable goods manufacturer",
                  16: "financial services group", 20: "insurance company", 30: "transport and logistics operator",
                  17: "food processing company", 22: "retail chain", 11: "network of clinics", 31: "utility",
                  33: "wholesaler", 3: "publishing and broadcasting group"}
