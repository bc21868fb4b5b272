// The administration page: one form per feature generated from its settings' JSON schema (settings_form.js,
// validated on save with the sync's rules; a setting without a schema stays a JSON text), the latest run's
// status from osi_syncrun, and the scoring model registry (osi_scoringmodel: metrics, readiness, status), with "Retrain" per table (stamps
// scoring.<table>.retrain_requested_on) and "Publish" on a model that is not live (the next sync makes it
// the live one and retires the other), and the relationship health models (health_models.js). Reads and writes
// only through Xrm.WebApi.
(function (root) {
  "use strict";
  var OSI = root.OSI;
  var h = OSI.dom.h;
  var i18n = OSI.i18n;
  var lang = "en";
  var t = i18n.translator(lang);

  function opt(setName, value) {
    return value === null || value === undefined ? "–" : i18n.optionLabel(lang, setName, value) || String(value);
  }

  function metric(metrics, name) {
    var v = metrics && metrics[name];
    return typeof v === "number" ? v.toFixed(3) : "–";
  }

  function settingRow(xrm, row) {
    var catalog = OSI.settingsSchemas || { schemas: {}, descriptions: {}, defaults: {} };
    var schema = catalog.schemas[row.osi_key];
    var status = h("p", { "class": "action-status", role: "status", "aria-live": "polite" });
    var save = h("button", { type: "button", "class": "btn btn-primary", "aria-label": t("save") + " " + row.osi_key },
      t("save"));
    var stored = OSI.data.parseJson(row.osi_value);
    var form = null;
    var body;
    if (schema && schema.properties && (stored === null || typeof stored === "object")) {
      form = OSI.settingsForm.settingsForm(t, row.osi_key, schema, stored || {}, catalog.defaults[row.osi_key]);
      body = h("div", { "class": "setting-form" }, form.elements);
    } else {
      body = h("textarea", { id: "setting-" + row.osi_settingid, spellcheck: "false", "class": "json", rows: "6",
        "aria-label": row.osi_key });
      body.value = row.osi_value || "";
    }
    var fail = function (text) {
      status.className = "action-status error";
      status.textContent = text;
    };
    save.addEventListener("click", function () {
      var value;
      if (form) {
        value = form.read();
        var problems = form.problems(value);
        if (problems.length) {
          fail(problems.map(function (p) {
            return t("admin.invalid.line", { field: p.path, problem: t(p.key, p.values) });
          }).join(" "));
          return;
        }
      } else {
        try {
          value = JSON.parse(body.value);
        } catch (bad) {
          fail(t("invalidJson", { message: bad.message }));
          return;
        }
      }
      save.disabled = true;
      var text = JSON.stringify(value, null, 1);
      xrm.WebApi.updateRecord("osi_setting", row.osi_settingid, { osi_value: text }).then(function () {
        save.disabled = false;
        row.osi_value = text;
        status.className = "action-status";
        status.textContent = t("saved");
      }, function (error) {
        save.disabled = false;
        fail(t("actionFailed", { message: error.message }));
      });
    });
    var described = catalog.descriptions[row.osi_key] || row.osi_description;
    return h("li", { "class": "setting", "data-key": row.osi_key },
      h("h3", {}, t("admin.feature." + row.osi_key) === "admin.feature." + row.osi_key ? row.osi_key :
        t("admin.feature." + row.osi_key)), described ? h("p", { "class": "muted small" }, described) : null,
      body, h("div", { "class": "actions" }, save), status);
  }

  // --- the latest run ------------------------------------------------------------------------------

  function when(iso) {
    return iso ? new Intl.DateTimeFormat(OSI.i18n.locales[lang], { day: "numeric", month: "short", year: "numeric",
      hour: "numeric", minute: "2-digit" }).format(new Date(iso)) : "–";
  }

  function runSection(runs) {
    var run = (runs || [])[0];
    if (!run) {
      return h("section", { "class": "card", id: "last-run" }, h("div", { "class": "card-head" },
        h("h2", {}, t("admin.run.title"))), h("p", { "class": "empty-title" }, t("admin.run.none")));
    }
    var statusEn = OSI.i18n.optionLabel("en", "RUN_STATUS", run.osi_runstatus) || "";
    var errors = OSI.data.parseJson(run.osi_errors) || {};
    var counts = OSI.data.parseJson(run.osi_counts) || {};
    var list = function (title, items) {
      return items && items.length ? [h("h3", {}, title), h("ul", { "class": "run-list" }, items.slice(0, 20).map(
        function (x) { return h("li", {}, typeof x === "string" ? x : JSON.stringify(x)); }))] : null;
    };
    return h("section", { "class": "card", id: "last-run", "data-status": statusEn },
      h("div", { "class": "card-head" }, h("h2", {}, t("admin.run.title"))),
      h("p", { "class": "run-status state-" + ({ Succeeded: "good", Partial: "fair", Failed: "poor" }[statusEn] ||
        "none") }, opt("RUN_STATUS", run.osi_runstatus)),
      h("p", {}, t("admin.run.summary", { started: when(run.osi_startedon), ended: when(run.osi_endedon),
        read: run.osi_recordsread || 0, written: run.osi_recordswritten || 0, failed: run.osi_recordsfailed || 0 })),
      list(t("admin.run.errors"), errors.errors), list(t("admin.run.warnings"), errors.warnings),
      list(t("admin.run.failed"), (errors.failed || []).map(function (f) {
        return [f.table, f.id, f.field, f.error].filter(Boolean).join(" · ");
      })), list(t("admin.run.notes"), counts.notes));
  }

  // --- model metrics -------------------------------------------------------------------------------

  function confusion(c) {
    if (!c) {
      return null;
    }
    return h("table", { "class": "confusion", "aria-label": t("admin.metrics.confusion") },
      h("thead", {}, h("tr", {}, h("th", {}), h("th", { scope: "col" }, t("admin.metrics.predictedYes")),
        h("th", { scope: "col" }, t("admin.metrics.predictedNo")))),
      h("tbody", {}, h("tr", {}, h("th", { scope: "row" }, t("admin.metrics.actualYes")),
        h("td", { "data-cell": "tp" }, String(c.tp)), h("td", { "data-cell": "fn" }, String(c.fn))),
        h("tr", {}, h("th", { scope: "row" }, t("admin.metrics.actualNo")),
          h("td", { "data-cell": "fp" }, String(c.fp)), h("td", { "data-cell": "tn" }, String(c.tn)))));
  }

  // Each grade's share of the test records and how many of them were won or qualified, and the cut-offs.
  function gradeShares(metrics) {
    var grades = metrics.grades || {};
    var summary = grades.summary || metrics.grade_shares;
    if (!summary || typeof summary !== "object") {
      return null;
    }
    var pct = function (v) {
      return typeof v === "number" ? new Intl.NumberFormat(OSI.i18n.locales[lang], { maximumFractionDigits: 0 })
        .format(100 * v) + t("admin.metrics.percentSign") : "–";
    };
    var cutoffs = grades.cutoffs || {};
    return h("table", { "class": "confusion grade-shares", "aria-label": t("admin.metrics.grades") },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("col.grade")), h("th", { scope: "col" },
        t("admin.metrics.from")), h("th", { scope: "col" }, t("admin.metrics.share")),
        h("th", { scope: "col" }, t("admin.metrics.positiveRate")))),
      h("tbody", {}, Object.keys(summary).sort().map(function (g) {
        var row = summary[g] || {};
        return h("tr", { "data-grade": g }, h("th", { scope: "row" }, g),
          h("td", {}, cutoffs[g] === undefined ? "–" : String(cutoffs[g])),
          h("td", { "data-share": g }, pct(typeof row === "number" ? row : row.share)),
          h("td", {}, pct(row.positive_rate)));
      })));
  }

  function modelDetails(m) {
    var metrics = OSI.data.parseJson(m.osi_metrics) || {};
    var test = metrics.test || metrics;
    return h("div", { "class": "model-details", "data-model-details": m.osi_key },
      h("p", { "class": "small" }, t("admin.metrics.threshold", { n: test.threshold === null ||
        test.threshold === undefined ? "–" : test.threshold })), confusion(test.confusion), gradeShares(metrics));
  }

  function statusLine() {
    return h("p", { "class": "action-status", role: "status" });
  }

  function report(line, text, failed) {
    line.className = failed ? "action-status error" : "action-status";
    line.textContent = text;
  }

  // Stamps scoring.<table>.retrain_requested_on in the osi_setting row "scoring" (re-read first, so
  // an edit saved in the settings list meanwhile is kept).
  function retrainButton(xrm, table, line) {
    var label = t("retrain", { table: table });
    var button = h("button", { type: "button", "class": "btn", "data-retrain": table }, label);
    button.addEventListener("click", function () {
      button.disabled = true;
      xrm.WebApi.retrieveMultipleRecords("osi_setting", "?$select=osi_value&$filter=osi_key eq 'scoring'")
        .then(function (found) {
          var row = (found.entities || [])[0];
          if (!row) {
            throw new Error(t("retrainNoSetting"));
          }
          var value = OSI.data.parseJson(row.osi_value) || {};
          value[table] = value[table] || {};
          value[table].retrain_requested_on = new Date().toISOString();
          return xrm.WebApi.updateRecord("osi_setting", row.osi_settingid,
            { osi_value: JSON.stringify(value, null, 1) });
        }).then(function () {
          button.disabled = false;
          report(line, t("retrainRequested", { table: table }), false);
        }, function (error) {
          button.disabled = false;
          report(line, t("actionFailed", { message: error.message }), true);
        });
    });
    return button;
  }

  function publishButton(xrm, m, line) {
    var button = h("button", { type: "button", "class": "btn", "aria-label": t("publish") + " " + m.osi_key },
      t("publish"));
    button.addEventListener("click", function () {
      button.disabled = true;
      xrm.WebApi.updateRecord("osi_scoringmodel", m.osi_scoringmodelid, {
        osi_modelstatus: i18n.optionValue("MODEL_STATUS", "Published"), osi_publishedon: new Date().toISOString()
      }).then(function () {
        report(line, t("published"), false);
      }, function (error) {
        button.disabled = false;
        report(line, t("actionFailed", { message: error.message }), true);
      });
    });
    return button;
  }

  function modelTable(xrm, rows, line) {
    var cols = ["table", "segment", "version", "kind", "readiness", "status", "auc", "accuracy", "precision",
      "recall", "trainedOn", "action"];
    return h("table", { "class": "models" }, h("thead", {}, h("tr", {}, cols.map(function (c) {
      return h("th", { scope: "col" }, t("col." + c));
    }))), h("tbody", {}, rows.map(function (m) {
      var metrics = OSI.data.parseJson(m.osi_metrics) || {};
      var test = metrics.test || metrics;
      return h("tr", { "data-model": m.osi_key },
        h("td", {}, m.osi_entityname || ""), h("td", {}, m.osi_filtercolumn ? m.osi_filtercolumn + " = " +
          (OSI.data.parseJson(m.osi_filtervalues) || []).join(", ") : t("col.allRecords")),
        h("td", {}, String(m.osi_version || "")), h("td", {}, m.osi_modelkind || ""),
        h("td", {}, opt("MODEL_READINESS", m.osi_readiness)), h("td", {}, opt("MODEL_STATUS", m.osi_modelstatus)),
        h("td", {}, metric(test, "auc")), h("td", {}, metric(test, "accuracy")),
        h("td", {}, metric(test, "precision")), h("td", {}, metric(test, "recall")),
        h("td", {}, m.osi_trainedon ? String(m.osi_trainedon).slice(0, 10) : "–"),
        h("td", {}, m.osi_modelstatus === i18n.optionValue("MODEL_STATUS", "Trained") ?
          publishButton(xrm, m, line) : null));
    })), h("tfoot", {}, rows.map(function (m) {
      return h("tr", {}, h("td", { colspan: String(cols.length) }, h("details", {},
        h("summary", {}, t("admin.metrics.more", { key: m.osi_key })), modelDetails(m))));
    })));
  }

  function start() {
    var main = document.getElementById("osi-admin");
    var xrm = OSI.data.findXrm();
    if (!xrm) {
      main.textContent = "";
      main.appendChild(h("p", { "class": "empty-title" }, t("noXrm")));
      return;
    }
    lang = i18n.languageOf(OSI.data.languageId(xrm, {}));
    t = i18n.translator(lang);
    document.documentElement.lang = lang;
    var settings = xrm.WebApi.retrieveMultipleRecords("osi_setting",
      "?$select=osi_key,osi_value,osi_description&$orderby=osi_key asc");
    var models = xrm.WebApi.retrieveMultipleRecords("osi_scoringmodel",
      "?$select=osi_key,osi_entityname,osi_filtercolumn,osi_filtervalues,osi_version,osi_modelkind,osi_readiness," +
      "osi_modelstatus,osi_metrics,osi_trainedon&$orderby=osi_entityname asc,osi_version desc");
    var runs = xrm.WebApi.retrieveMultipleRecords("osi_syncrun", "?$select=osi_key,osi_startedon,osi_endedon," +
      "osi_runstatus,osi_recordsread,osi_recordswritten,osi_recordsfailed,osi_counts,osi_errors" +
      "&$orderby=osi_startedon desc&$top=1").catch(function () { return { entities: [] }; });
    // A solution older than the health registry has no such table: the page shows the rest.
    var health = OSI.healthModels.read(xrm).catch(function () { return []; });
    Promise.all([settings, models, runs, health]).then(function (parts) {
      var s = parts[0].entities || [];
      var m = parts[1].entities || [];
      main.textContent = "";
      main.appendChild(h("header", { "class": "panel-head" }, h("h1", {}, t("adminTitle"))));
      main.appendChild(runSection(parts[2].entities));
      main.appendChild(h("section", { "class": "card", id: "settings" }, h("div", { "class": "card-head" },
        h("h2", {}, t("settings"))), h("p", { "class": "muted small" }, t("settingsHint")),
        s.length ? h("ul", { "class": "components" }, s.map(function (row) { return settingRow(xrm, row); })) :
          h("p", { "class": "empty-title" }, t("settingsEmpty"))));
      var line = statusLine();
      main.appendChild(h("section", { "class": "card", id: "models" }, h("div", { "class": "card-head" },
        h("h2", {}, t("models"))), m.length ? modelTable(xrm, m, line) :
        h("p", { "class": "empty-title" }, t("modelsEmpty")),
        h("div", { "class": "actions" }, retrainButton(xrm, "lead", line), retrainButton(xrm, "opportunity", line)),
        line));
      main.appendChild(OSI.healthModels.section(t, lang, parts[3]));
      main.setAttribute("aria-busy", "false");
      main.setAttribute("data-state", "ready");
    }, function (error) {
      main.textContent = "";
      main.appendChild(h("p", { "class": "empty-title" }, t("loadError") + ": " + error.message));
      main.setAttribute("data-state", "message");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})(window);
