// The administration page: the osi_setting rows (JSON values, saved with updateRecord) and the scoring
// model registry (osi_scoringmodel: metrics, readiness, status), with "Retrain" per table (stamps
// scoring.<table>.retrain_requested_on) and "Publish" on a model that is not live (the next sync makes it
// the live one and retires the other). Reads and writes only through Xrm.WebApi.
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
    var id = "setting-" + row.osi_settingid;
    var area = h("textarea", { id: id, spellcheck: "false" });
    area.value = row.osi_value || "";
    var status = h("p", { "class": "action-status", role: "status" });
    var save = h("button", { type: "button", "class": "btn btn-primary", "aria-label": t("save") + " " + row.osi_key },
      t("save"));
    save.addEventListener("click", function () {
      try {
        JSON.parse(area.value);
      } catch (bad) {
        status.className = "action-status error";
        status.textContent = t("invalidJson", { message: bad.message });
        return;
      }
      save.disabled = true;
      xrm.WebApi.updateRecord("osi_setting", row.osi_settingid, { osi_value: area.value }).then(function () {
        save.disabled = false;
        status.className = "action-status";
        status.textContent = t("saved");
      }, function (error) {
        save.disabled = false;
        status.className = "action-status error";
        status.textContent = t("actionFailed", { message: error.message });
      });
    });
    return h("li", { "class": "setting", "data-key": row.osi_key },
      h("label", { "for": id }, row.osi_key), row.osi_description ? h("p", { "class": "muted small" },
        row.osi_description) : null, area, h("div", { "class": "actions" }, save), status);
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
    Promise.all([settings, models]).then(function (parts) {
      var s = parts[0].entities || [];
      var m = parts[1].entities || [];
      main.textContent = "";
      main.appendChild(h("header", { "class": "panel-head" }, h("h1", {}, t("adminTitle"))));
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
