// Texts of the seller panel and the admin page, English (1033) and French (1036).
// Choice labels are not here: they come with their values from options.js (generated from connector/schema.py).
(function (root) {
  "use strict";
  root.OSI = root.OSI || {};

  // Texts come from the one message catalogue (messages.js, generated from connector/messages/catalog.json),
  // in a small ICU MessageFormat subset: {name}, {n, plural, =0 {…} one {…} other {…}} with # for the
  // number, {v, select, a {…} other {…}}. Plural categories are the language's (Intl.PluralRules).
  var LOCALES = { en: "en-US", fr: "fr-FR" };

  /** The language code ("en" or "fr") of a Dynamics language id (1036 is French; anything else English). */
  function languageOf(languageId) {
    return Number(languageId) === 1036 ? "fr" : "en";
  }

  function closing(text, start) {
    var depth = 0;
    for (var j = start; j < text.length; j++) {
      depth += text[j] === "{" ? 1 : text[j] === "}" ? -1 : 0;
      if (depth === 0) {
        return j;
      }
    }
    throw new Error("unbalanced braces in message " + text);
  }

  function branches(text) {
    var out = {};
    var i = 0;
    while (i < text.length) {
      if (/\s/.test(text[i])) {
        i += 1;
        continue;
      }
      var open = text.indexOf("{", i);
      var end = closing(text, open);
      out[text.slice(i, open).trim()] = text.slice(open + 1, end);
      i = end + 1;
    }
    return out;
  }

  /** Fill an ICU-subset message for `lang`: the same rules as connector/messages (Python). */
  function formatIcu(text, lang, values) {
    var out = "";
    var i = 0;
    var numberOf = function (n, digits) {
      return new Intl.NumberFormat(LOCALES[lang] || "en-US", { maximumFractionDigits: digits }).format(n);
    };
    while (i < text.length) {
      if (text[i] !== "{") {
        out += text[i];
        i += 1;
        continue;
      }
      var end = closing(text, i);
      var body = text.slice(i + 1, end);
      var first = body.indexOf(",");
      var name = (first < 0 ? body : body.slice(0, first)).trim();
      var value = values ? values[name] : undefined;
      if (first < 0) {
        out += value === undefined || value === null ? "{" + name + "}" :
          typeof value === "number" ? numberOf(value, 2) : String(value);
      } else {
        var second = body.indexOf(",", first + 1);
        var kind = body.slice(first + 1, second).trim();
        var cases = branches(body.slice(second + 1));
        if (kind === "plural") {
          var n = Number(value) || 0;
          var category = new Intl.PluralRules(LOCALES[lang] || "en-US").select(Math.abs(n));
          var chosen = cases["=" + n] !== undefined ? cases["=" + n] : cases[category] !== undefined ?
            cases[category] : cases.other || "";
          out += formatIcu(chosen, lang, values).replace(/#/g, numberOf(n, 2));
        } else {
          out += formatIcu(cases[String(value)] !== undefined ? cases[String(value)] : cases.other || "", lang,
            values);
        }
      }
      i = end + 1;
    }
    return out;
  }

  function lookup(lang, key) {
    return key.split(".").reduce(function (node, part) {
      return node && node[part] !== undefined ? node[part] : undefined;
    }, (root.OSI.messages || {})[lang]);
  }

  /** A translator: t("kpi.emails", {n: 2}) looks up a dotted key (English when missing) and fills it. */
  function translator(lang) {
    return function t(key, values) {
      var text = lookup(lang, key);
      var used = lang;
      if (typeof text !== "string" && typeof text !== "undefined") {
        return text;
      }
      if (text === undefined) {
        text = lookup("en", key);
        used = "en";
      }
      if (text === undefined) {
        return key;
      }
      return typeof text === "string" ? formatIcu(text, used, values || {}) : text;
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
                    optionValue: optionValue, columnLabel: columnLabel, formatIcu: formatIcu,
                    locales: LOCALES };
})(window);
