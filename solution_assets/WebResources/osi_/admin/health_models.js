// The relationship health model registry on the admin page (osi_healthmodel, one row per record type): which
// model grades each record type and why (fitted on the organisation's history, set by an administrator, or the
// default with the reason and the history found against the minimum), its points per component, the Good and
// Fair cut-offs, what Good means, the held-out AUC against the default and the two baselines, when it was fitted
// and when it is fitted again. Read only: an administrator fixes the weights in the relationship setting.
(function (root) {
  "use strict";
  var OSI = root.OSI;
  var h = OSI.dom.h;
  var i18n = OSI.i18n;
  var ORDER = ["contact", "account", "lead", "opportunity"];
  var COMPONENTS = ["recency", "frequency", "rhythm", "responsiveness", "reciprocity", "breadth", "stage", "deal"];
  var SELECT = "?$select=osi_key,osi_entityname,osi_healthmodelkind,osi_target,osi_note,osi_examples," +
    "osi_minexamples,osi_fittedon,osi_nextfiton,osi_goodmin,osi_fairmin,osi_goodprobability,osi_weights,osi_metrics";

  function read(xrm) {
    return xrm.WebApi.retrieveMultipleRecords("osi_healthmodel", SELECT).then(function (found) {
      var rank = function (m) {
        var i = ORDER.indexOf(m.osi_key);
        return i < 0 ? ORDER.length : i;
      };
      return (found.entities || []).slice().sort(function (a, b) {
        var ka = String(a.osi_key);
        var kb = String(b.osi_key);
        return rank(a) - rank(b) || (ka < kb ? -1 : ka > kb ? 1 : 0);
      });
    });
  }

  function section(t, lang, rows) {
    var auc = function (v) {
      return typeof v === "number" ? new Intl.NumberFormat(i18n.locales[lang], { minimumFractionDigits: 3,
        maximumFractionDigits: 3 }).format(v) : "–";
    };
    var pct = function (v) {
      return new Intl.NumberFormat(i18n.locales[lang], { style: "percent", maximumFractionDigits: 0 }).format(v);
    };
    // Stored as a calendar day (date only): shown as that day, whatever the browser's zone.
    var day = function (text) {
      return text ? new Intl.DateTimeFormat(i18n.locales[lang], { day: "numeric", month: "short", year: "numeric",
        timeZone: "UTC" }).format(new Date(String(text).slice(0, 10) + "T00:00:00Z")) : "–";
    };
    var kindEn = function (m) { return i18n.optionLabel("en", "HEALTH_MODEL_KIND", m.osi_healthmodelkind) || ""; };

    function why(m, metrics) {
      var kind = kindEn(m);
      if (kind === "Fitted") {
        return t("admin.health.why.fitted", { n: m.osi_examples || 0, positives: metrics.positives || 0 });
      }
      if (kind === "Set by an administrator") {
        return t("admin.health.why.fixed");
      }
      var held = metrics.held_out || {};
      var reason = metrics.fallback;
      if (reason === "too_little_history" || reason === "fitted_ranked_worse" || reason === "no_information") {
        return t("admin.health.why." + reason, { n: m.osi_examples || 0, min: m.osi_minexamples,
          perClass: metrics.min_per_class, auc: auc(held.auc), defaultAuc: auc(held.default_auc) });
      }
      return m.osi_note || "";
    }

    function evaluation(metrics) {
      var held = metrics.held_out;
      if (!held || typeof held.auc !== "number") {
        return t("admin.health.notEvaluated");
      }
      return t("admin.health.evaluation", { auc: auc(held.auc), defaultAuc: auc(held.default_auc),
        countAuc: auc(held.activities_90d_auc), recencyAuc: auc(held.recency_auc), n: held.examples });
    }

    function weights(w) {
      var components = (w && w.components) || {};
      var names = COMPONENTS.filter(function (c) { return components[c] !== undefined; }).concat(
        Object.keys(components).filter(function (c) { return COMPONENTS.indexOf(c) < 0; }).sort());
      return names.length ? h("ul", { "class": "weights" }, names.map(function (c) {
        return h("li", { "data-component": c }, t("components." + c) + " " + components[c]);
      })) : "–";
    }

    function steps(w) {
      var names = Object.keys((w && w.steps) || {}).sort();
      return h("details", {}, h("summary", {}, t("admin.health.col.steps")),
        h("ul", { "class": "run-list" }, names.map(function (n) { return h("li", {}, n + ": " + w.steps[n]); })));
    }

    // One block per record type (a definition list, readable at any width).
    function model(m) {
      var metrics = OSI.data.parseJson(m.osi_metrics) || {};
      var w = OSI.data.parseJson(m.osi_weights);
      var item = function (key, cell, value) {
        return [h("dt", {}, t("admin.health.col." + key)), h("dd", { "data-cell": cell }, value)];
      };
      return h("article", { "class": "health-model", "data-health-model": m.osi_key, "data-kind": kindEn(m) },
        h("h3", {}, t("admin.health.entity." + m.osi_key) + " · " +
          (i18n.optionLabel(lang, "HEALTH_MODEL_KIND", m.osi_healthmodelkind) || "–")),
        h("p", { "data-cell": "why" }, why(m, metrics)),
        h("dl", {}, [].concat(
          item("weights", "weights", weights(w)), item("goodMin", "good", String(m.osi_goodmin)),
          item("fairMin", "fair", String(m.osi_fairmin)),
          item("goodMeans", "means", typeof m.osi_goodprobability === "number" ? t("admin.health.goodMeans",
            { p: pct(m.osi_goodprobability), target: t("admin.health.target." + m.osi_key) }) : "–"),
          item("evaluation", "evaluation", evaluation(metrics)), item("fittedOn", "fitted", day(m.osi_fittedon)),
          item("nextFit", "next", day(m.osi_nextfiton)))),
        steps(w));
    }

    return h("section", { "class": "card", id: "health-models" },
      h("div", { "class": "card-head" }, h("h2", {}, t("admin.health.title"))),
      h("p", { "class": "muted small" }, t("admin.health.hint")),
      rows.length ? h("div", { "class": "health-models" }, rows.map(model)) :
        h("p", { "class": "empty-title" }, t("admin.health.empty")));
  }

  root.OSI.healthModels = { read: read, section: section };
})(window);
