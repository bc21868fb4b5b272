// Choice values and labels (English, French) of the osi_ schema. GENERATED from connector/schema.py by
// `python -m tests.browser.panel_options`; tests/browser/test_panel_options.py fails if they drift.
(function (root) {
  "use strict";
  root.OSI = root.OSI || {};
  root.OSI.options = {
    "HEALTH_STATE": {"107300000": ["Good", "Bonne"], "107300001": ["Fair", "Moyenne"], "107300002": ["Poor", "Faible"], "107300003": ["Not enough info", "Pas assez d'informations"], "107300004": ["Not applicable", "Sans objet"], "107300005": ["Older than two years", "Plus de deux ans"]},
    "TREND": {"107300000": ["Improving", "En amélioration"], "107300001": ["Steady", "Stable"], "107300002": ["Declining", "En baisse"], "107300003": ["Not enough info", "Pas assez d'informations"], "107300004": ["Not applicable", "Sans objet"]},
    "GRADE": {"107300000": ["A", "A"], "107300001": ["B", "B"], "107300002": ["C", "C"], "107300003": ["D", "D"]},
    "ACTIVITY_TYPE": {"107300000": ["Email", "E-mail"], "107300001": ["Phone call", "Appel"], "107300002": ["Meeting", "Rendez-vous"], "107300003": ["Task", "Tâche"]},
    "DIRECTION": {"107300000": ["Incoming", "Entrant"], "107300001": ["Outgoing", "Sortant"]},
    "SUGGESTION_TYPE": {"107300000": ["Appointment", "Rendez-vous"], "107300001": ["Phone call", "Appel"], "107300002": ["Task", "Tâche"], "107300003": ["New contact", "Nouveau contact"], "107300004": ["Content request", "Demande de contenu"], "107300005": ["Issue", "Problème"]},
    "SUGGESTION_STATUS": {"107300000": ["New", "Nouvelle"], "107300001": ["Accepted", "Acceptée"], "107300002": ["Dismissed", "Ignorée"], "107300003": ["Expired", "Expirée"]},
    "TOPIC": {"107300000": ["Family", "Famille"], "107300001": ["Sports", "Sport"], "107300002": ["Vacation", "Vacances"], "107300003": ["Health", "Santé"], "107300004": ["Entertainment", "Divertissement"], "107300005": ["Food", "Cuisine"], "107300006": ["Hobbies", "Loisirs"], "107300007": ["Celebrations", "Fêtes"]},
    "MODEL_READINESS": {"107300000": ["Ready", "Prêt"], "107300001": ["OK", "Correct"], "107300002": ["Not ready", "Pas prêt"]},
    "MODEL_STATUS": {"107300000": ["Trained", "Entraîné"], "107300001": ["Published", "Publié"], "107300002": ["Retired", "Retiré"], "107300003": ["Failed", "Échec"]},
    "RUN_STATUS": {"107300000": ["Running", "En cours"], "107300001": ["Succeeded", "Réussie"], "107300002": ["Partial", "Partielle"], "107300003": ["Failed", "Échec"]},
    "INSIGHT_TYPE": {"107300000": ["Health change", "Changement de santé"], "107300001": ["Score change", "Changement de score"], "107300002": ["No activity", "Aucune activité"], "107300003": ["Close date soon", "Date de clôture proche"], "107300004": ["Close date missed", "Date de clôture dépassée"], "107300005": ["E-mail awaiting reply", "E-mail en attente de réponse"], "107300006": ["Meeting today", "Rendez-vous aujourd'hui"]},
    "HEALTH_MODEL_KIND": {"107300000": ["Fitted", "Ajusté"], "107300001": ["Set by an administrator", "Fixé par un administrateur"], "107300002": ["Default", "Par défaut"]}
  };
})(window);
