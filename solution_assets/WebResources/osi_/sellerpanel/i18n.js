// Texts of the seller panel and the admin page, English (1033) and French (1036).
// Choice labels are not here: they come with their values from options.js (generated from connector/schema.py).
(function (root) {
  "use strict";
  root.OSI = root.OSI || {};

  var TEXTS = {
    en: {
      panelTitle: "Sales insights",
      loading: "Loading insights…",
      loadError: "Insights could not be loaded",
      retry: "Try again",
      unsaved: "Save the record to see its insights.",
      noXrm: "This panel runs inside a Dynamics 365 form.",
      updated: "Updated {when}",
      health: "Relationship health",
      healthOf: "Relationship health {score} out of 100, {state}",
      trend: "Trend",
      notEnoughActivity: "Not enough activity yet",
      notEnoughActivityHint: "Health appears once there are a few two-way e-mails, meetings or calls.",
      noHealthFor: "Relationship health is not computed for this record: {state}.",
      why: "What drives the health score",
      components: {
        recency: "Recency", frequency: "Frequency", responsiveness: "Responsiveness",
        reciprocity: "Reciprocity", breadth: "Breadth", stage: "Sales stage"
      },
      points: "{n} of {max} points",
      lastActivity: "Last activity",
      nextActivity: "Next activity",
      none: "None",
      byTeam: "by our team",
      byCustomer: "by the customer",
      score: "Predictive score",
      whyScore: "Why this score",
      scoreOf: "Score {score} out of 100, grade {grade}",
      grade: "Grade",
      noScoreLead: "No score yet: the model needs more closed leads.",
      noScoreOpportunity: "No score yet: the model needs more closed opportunities.",
      lowConfidence: "Low confidence: the model learned from few closed records.",
      notReadyFewTests: "Not ready, low confidence: the model was tested on only {n} closed records " +
        "(at least {min} are needed to trust it).",
      raises: "What raises the score",
      lowers: "What lowers the score",
      noReasons: "No single factor stands out.",
      pointsImpact: "{sign}{n} points",
      scoreHistory: "Score over time",
      scoreHistoryAlt: "Score from {first} on {from} to {last} on {to}, {n} scores",
      oneScore: "One score so far; the curve appears after the next scoring.",
      kpis: "Team and customer, last 12 months",
      ourTeam: "Our team",
      customer: "Customer",
      kpi: {
        emails: "E-mails sent", meetings: "Meetings organised", calls: "Calls made",
        initiated: "Conversations started", responseTime: "Average response time",
        responseRate: "Response rate", timeSpent: "Time spent"
      },
      vsPrevious: "{sign}{n} vs previous 12 months",
      chart: "Activity, last 90 days",
      chartAlt: "Activity of the last 90 days: {summary}.",
      chartTable: "Show as a table",
      series: {
        emails_sent: "E-mails sent", emails_received: "E-mails received",
        meetings_sent: "Meetings by us", meetings_received: "Meetings by them",
        calls_made: "Calls made", calls_received: "Calls received"
      },
      outgoing: "ours",
      incoming: "theirs",
      total: "Total",
      activityType: "Activity",
      noActivity90: "No activity in the last 90 days.",
      mostActive: "Most active people",
      interactions: "{n} interactions",
      wkw: "Colleagues who know this person",
      wkwEmpty: "No colleague has been in touch with this person yet.",
      strengthOf: "Connection strength {n} out of 100",
      strength: { strong: "Strong", good: "Good", weak: "Weak" },
      lastContact: "last contact {when}",
      counts: "{e} e-mails · {m} meetings · {c} calls",
      introduce: "Get introduced",
      introduceLabel: "Ask {name} for an introduction",
      introSubject: "Introduction to {person}",
      introBody: "Hi {colleague},\n\nYou know {person} well. Could you introduce me?\n\nThank you.",
      talkingPoints: "Talking points",
      talkingEmpty: "No talking points yet.",
      aboutTopic: "{when} about {topic}",
      suggestions: "Suggestions from notes",
      suggestionsEmpty: "No open suggestions.",
      create: "Create",
      dismiss: "Dismiss",
      createLabel: "Create {type}: {subject}",
      dismissLabel: "Dismiss suggestion: {subject}",
      created: "{type} created.",
      dismissed: "Suggestion dismissed.",
      open: "Open",
      actionFailed: "That did not work: {message}",
      confidence: "confidence {n}%",
      with: "with {names}",
      due: "due {when}",
      allDay: "all day",
      fromNote: "Suggested by Open Sales Insights from a note.",
      today: "today",
      adminTitle: "Open Sales Insights administration",
      settings: "Settings",
      settingsHint: "Each value is JSON. The next sync run reads the saved values.",
      save: "Save",
      saved: "Saved.",
      invalidJson: "Not valid JSON: {message}",
      models: "Scoring models",
      modelsEmpty: "No model trained yet.",
      retrain: "Retrain {table} models",
      retrainRequested: "Retrain requested: the next sync run retrains the {table} models.",
      retrainNoSetting: "The scoring setting does not exist yet: run a sync first.",
      publish: "Publish",
      published: "Published: the next sync run scores with this model.",
      col: {
        table: "Table", segment: "Segment", version: "Version", kind: "Model", readiness: "Readiness",
        status: "Status", auc: "AUC", accuracy: "Accuracy", precision: "Precision", recall: "Recall",
        trainedOn: "Trained on", publishedOn: "Published on", allRecords: "all records", action: "Action"
      },
      settingsEmpty: "No settings yet."
    },
    fr: {
      panelTitle: "Analyses commerciales",
      loading: "Chargement des analyses…",
      loadError: "Impossible de charger les analyses",
      retry: "Réessayer",
      unsaved: "Enregistrez la fiche pour voir ses analyses.",
      noXrm: "Ce panneau s'affiche dans un formulaire Dynamics 365.",
      updated: "Mis à jour {when}",
      health: "Santé de la relation",
      healthOf: "Santé de la relation {score} sur 100, {state}",
      trend: "Tendance",
      notEnoughActivity: "Pas encore assez d'activité",
      notEnoughActivityHint: "La santé s'affiche après quelques e-mails, rendez-vous ou appels dans les deux sens.",
      noHealthFor: "La santé de la relation n'est pas calculée pour cette fiche : {state}.",
      why: "Ce qui détermine la santé",
      components: {
        recency: "Récence", frequency: "Fréquence", responsiveness: "Réactivité",
        reciprocity: "Réciprocité", breadth: "Étendue", stage: "Étape de vente"
      },
      points: "{n} sur {max} points",
      lastActivity: "Dernière activité",
      nextActivity: "Prochaine activité",
      none: "Aucune",
      byTeam: "par notre équipe",
      byCustomer: "par le client",
      score: "Score prédictif",
      whyScore: "Pourquoi ce score",
      scoreOf: "Score {score} sur 100, note {grade}",
      grade: "Note",
      noScoreLead: "Pas encore de score : le modèle a besoin de plus de prospects clôturés.",
      noScoreOpportunity: "Pas encore de score : le modèle a besoin de plus d'opportunités clôturées.",
      lowConfidence: "Confiance faible : le modèle a appris sur peu de fiches clôturées.",
      notReadyFewTests: "Pas prêt, confiance faible : le modèle n'a été testé que sur {n} fiches clôturées " +
        "(il en faut au moins {min} pour s'y fier).",
      raises: "Ce qui augmente le score",
      lowers: "Ce qui diminue le score",
      noReasons: "Aucun facteur ne se détache.",
      pointsImpact: "{sign}{n} points",
      scoreHistory: "Évolution du score",
      scoreHistoryAlt: "Score de {first} le {from} à {last} le {to}, {n} scores",
      oneScore: "Un seul score pour l'instant ; la courbe apparaîtra au prochain calcul.",
      kpis: "Équipe et client, 12 derniers mois",
      ourTeam: "Notre équipe",
      customer: "Client",
      kpi: {
        emails: "E-mails envoyés", meetings: "Rendez-vous organisés", calls: "Appels passés",
        initiated: "Échanges commencés", responseTime: "Délai de réponse moyen",
        responseRate: "Taux de réponse", timeSpent: "Temps passé"
      },
      vsPrevious: "{sign}{n} par rapport aux 12 mois précédents",
      chart: "Activité des 90 derniers jours",
      chartAlt: "Activité des 90 derniers jours : {summary}.",
      chartTable: "Afficher sous forme de tableau",
      series: {
        emails_sent: "E-mails envoyés", emails_received: "E-mails reçus",
        meetings_sent: "Rendez-vous de notre part", meetings_received: "Rendez-vous de leur part",
        calls_made: "Appels passés", calls_received: "Appels reçus"
      },
      outgoing: "nous",
      incoming: "eux",
      total: "Total",
      activityType: "Activité",
      noActivity90: "Aucune activité ces 90 derniers jours.",
      mostActive: "Personnes les plus actives",
      interactions: "{n} interactions",
      wkw: "Collègues qui connaissent cette personne",
      wkwEmpty: "Aucun collègue n'a encore été en contact avec cette personne.",
      strengthOf: "Force de la relation {n} sur 100",
      strength: { strong: "Forte", good: "Bonne", weak: "Faible" },
      lastContact: "dernier contact {when}",
      counts: "{e} e-mails · {m} rendez-vous · {c} appels",
      introduce: "Se faire présenter",
      introduceLabel: "Demander à {name} une présentation",
      introSubject: "Présentation à {person}",
      introBody: "Bonjour {colleague},\n\nTu connais bien {person}. Pourrais-tu me présenter ?\n\nMerci.",
      talkingPoints: "Sujets de conversation",
      talkingEmpty: "Pas encore de sujet de conversation.",
      aboutTopic: "{when} à propos de {topic}",
      suggestions: "Suggestions tirées des notes",
      suggestionsEmpty: "Aucune suggestion en attente.",
      create: "Créer",
      dismiss: "Ignorer",
      createLabel: "Créer {type} : {subject}",
      dismissLabel: "Ignorer la suggestion : {subject}",
      created: "{type} créé.",
      dismissed: "Suggestion ignorée.",
      open: "Ouvrir",
      actionFailed: "L'action a échoué : {message}",
      confidence: "confiance {n} %",
      with: "avec {names}",
      due: "échéance {when}",
      allDay: "toute la journée",
      fromNote: "Suggéré par Open Sales Insights à partir d'une note.",
      today: "aujourd'hui",
      healthWhy: {
        recencyNone: "aucun contact dans les deux sens pour l'instant",
        recency: "dernier contact dans les deux sens {when} (attendu tous les {f} jours)",
        daysAgo: { one: "hier", other: "il y a {n} jours" },
        frequency: {
          one: "{n} échange dans les deux sens ces {window} derniers jours (environ {expected} attendus, un tous les " +
            "{f} jours)",
          other: "{n} échanges dans les deux sens ces {window} derniers jours (environ {expected} attendus, un tous les " +
            "{f} jours)"
        },
        noReplyLast: "pas de réponse au dernier e-mail",
        noReplyLastN: "pas de réponse aux {n} derniers e-mails",
        customerAnswers: "le client répond en {d}",
        teamAnswers: "notre équipe répond en {d}",
        noAnswered: "pas encore d'e-mails avec réponse pour juger la réactivité",
        reciprocity: {
          one: "le client a lancé {started} interaction sur {n} et a participé à {active}",
          other: "le client a lancé {started} des {n} interactions et a participé à {active}"
        },
        noInteractions: "aucune interaction sur la période",
        breadth: {
          one: "{n} personne côté client et {team} de notre équipe impliquées",
          other: "{n} personnes côté client et {team} de notre équipe impliquées"
        },
        stage: "étape de vente {step} sur {of}"
      },
      reason: {
        plural: { leads: "pistes", opportunities: "opportunités" },
        outcome: { leads: "qualifiées", opportunities: "gagnées" },
        empty: "vide",
        is: "{label} : {value}",
        mostCommon: "(le plus fréquent : {neutral})",
        typical: "(habituel : {neutral})",
        equals: "{label} = {value}",
        categoryEvidence: "{rate} des {plural} avec {label} = {value} ont été {outcome}, contre {overall} en tout " +
          "({count} {plural})",
        numberEvidence: "{plural} avec {where} : {rate} {outcome}, contre {overall} en tout",
        noneLike: "aucune {plural} fermée avec {where}",
        yes: "Oui",
        no: "Non",
        missing: { never: "jamais", never_answered: "jamais de réponse", empty: "vide" },
        unit: { day: "{n} jour", days: "{n} jours", hour: "{n} heure", hours: "{n} heures",
          underAnHour: "moins d'une heure" },
        evidence: "{rate} des {plural} avec {where} ont été {outcome}, {against} ({count} {plural})",
        againstOverall: "contre {overall} en tout",
        againstTypical: "contre {rate} des {plural} avec {where}",
        range: { missing: "{label} vide", any: "tout {label}", below: "{label} inférieur à {hi}",
          at_least: "{label} de {lo} ou plus", between: "{label} de {lo} à moins de {hi}" }
      },
      adminTitle: "Administration d'Open Sales Insights",
      settings: "Paramètres",
      settingsHint: "Chaque valeur est du JSON. La prochaine synchronisation lit les valeurs enregistrées.",
      save: "Enregistrer",
      saved: "Enregistré.",
      invalidJson: "JSON non valide : {message}",
      models: "Modèles de score",
      modelsEmpty: "Aucun modèle entraîné pour l'instant.",
      retrain: "Réentraîner les modèles {table}",
      retrainRequested: "Réentraînement demandé : la prochaine synchronisation réentraîne les modèles {table}.",
      retrainNoSetting: "Le paramètre scoring n'existe pas encore : lancez d'abord une synchronisation.",
      publish: "Publier",
      published: "Publié : la prochaine synchronisation calcule les scores avec ce modèle.",
      col: {
        table: "Table", segment: "Segment", version: "Version", kind: "Modèle", readiness: "Préparation",
        status: "Statut", auc: "AUC", accuracy: "Exactitude", precision: "Précision", recall: "Rappel",
        trainedOn: "Entraîné le", publishedOn: "Publié le", allRecords: "toutes les fiches", action: "Action"
      },
      settingsEmpty: "Aucun paramètre pour l'instant."
    }
  };

  /** The language code ("en" or "fr") of a Dynamics language id (1036 is French; anything else English). */
  function languageOf(languageId) {
    return Number(languageId) === 1036 ? "fr" : "en";
  }

  /** A translator: t("kpi.emails", {n: 2}) looks up a dotted key and fills {placeholders}. */
  function translator(lang) {
    var table = TEXTS[lang] || TEXTS.en;
    return function t(key, values) {
      var text = key.split(".").reduce(function (node, part) {
        return node && node[part] !== undefined ? node[part] : undefined;
      }, table);
      if (text === undefined) {
        text = key;
      }
      if (values) {
        text = String(text).replace(/\{(\w+)\}/g, function (whole, name) {
          return values[name] !== undefined && values[name] !== null ? String(values[name]) : whole;
        });
      }
      return text;
    };
  }

  /** The English or French label of a choice value, from the generated options table. */
  function optionLabel(lang, setName, value) {
    var set = root.OSI.options[setName] || {};
    var pair = set[String(value)];
    if (!pair) {
      return null;
    }
    return lang === "fr" ? pair[1] : pair[0];
  }

  /** The value of the choice whose English label is `englishLabel`. */
  function optionValue(setName, englishLabel) {
    var set = root.OSI.options[setName] || {};
    var found = Object.keys(set).filter(function (v) { return set[v][0] === englishLabel; });
    if (!found.length) {
      throw new Error("no option " + englishLabel + " in " + setName);
    }
    return Number(found[0]);
  }

  // French display names of the columns scoring explains (the connector sends the English one as a
  // fallback for any other column).
  var COLUMN_LABELS_FR = {
    owner_id: "Propriétaire", leadsourcecode: "Origine de la piste", industrycode: "Secteur d'activité",
    numberofemployees: "Nombre d'employés", revenue: "Chiffre d'affaires annuel", budgetamount: "Budget",
    budgetstatus: "Statut du budget", purchasetimeframe: "Délai d'achat", purchaseprocess: "Processus d'achat",
    need: "Besoin", address1_country: "Pays", donotemail: "Ne pas envoyer de courrier électronique",
    jobtitle: "Fonction", estimatedvalue: "Revenu estimé", estimated_value: "Revenu estimé",
    salesstage: "Étape de vente", sales_stage: "Étape de vente",
    act_emails_outgoing_90d: "E-mails envoyés ces 90 derniers jours",
    act_emails_incoming_90d: "E-mails reçus ces 90 derniers jours",
    act_phonecalls_outgoing_90d: "Appels passés ces 90 derniers jours",
    act_phonecalls_incoming_90d: "Appels reçus ces 90 derniers jours",
    act_appointments_all_90d: "Rendez-vous ces 90 derniers jours", act_tasks_all_90d: "Tâches ces 90 derniers jours",
    act_days_since_incoming: "Depuis le dernier message ou appel du client",
    act_days_since_outgoing: "Depuis notre dernier message ou appel",
    act_next_scheduled: "Prochaine activité planifiée", act_total_before: "Activités jusqu'ici",
    act_customer_reply_rate: "Part de nos e-mails auxquels le client a répondu",
    act_customer_reply_hours: "Délai de réponse habituel du client", act_per_week: "Activités par semaine",
    eng_job_level: "Niveau hiérarchique", eng_has_parent_account_id: "Compte existant",
    eng_has_parent_contact_id: "Contact existant", eng_email_domain: "Type d'adresse e-mail",
    eng_completeness: "Complétude de la fiche", eng_record_age_days: "Âge de la fiche", eng_days_in_stage: "Temps dans l'étape actuelle",
    bpf_stage: "Étape de vente", eng_has_account_id: "Compte existant", eng_has_contact_id: "Contact existant",
    account_industrycode: "Secteur du compte", account_numberofemployees: "Employés du compte",
    account_revenue: "Chiffre d'affaires du compte", account_accountcategorycode: "Catégorie du compte",
    account_customertypecode: "Type de relation du compte", contact_preferredcontactmethodcode:
      "Mode de contact préféré du contact"
  };

  /** The display name of a scored column in `lang`, or `fallback` (the connector's English label). */
  function columnLabel(lang, column, fallback) {
    if (lang === "fr" && COLUMN_LABELS_FR[column]) {
      return COLUMN_LABELS_FR[column];
    }
    return fallback || column;
  }

  root.OSI.i18n = { languageOf: languageOf, translator: translator, optionLabel: optionLabel,
                    optionValue: optionValue, columnLabel: columnLabel, texts: TEXTS };
})(window);
