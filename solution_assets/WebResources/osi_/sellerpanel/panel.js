// The seller panel: relationship health, score, team-vs-customer KPIs, 90-day activity, who knows whom,
// talking points and note suggestions of the record on the form. Reads and writes only through Xrm.WebApi.
(function (root) {
  "use strict";
  var OSI = root.OSI;
  var h = OSI.dom.h;
  var data = OSI.data;
  var i18n = OSI.i18n;

  var lang = "en";
  var t = i18n.translator(lang);
  var locale = "en-US";

  function opt(setName, value) {
    return value === null || value === undefined ? null : i18n.optionLabel(lang, setName, value);
  }

  function optValue(setName, englishLabel) {
    return i18n.optionValue(setName, englishLabel);
  }

  // --- formatting ---------------------------------------------------------------------------------
  // Every time is shown in the user's Dynamics time zone (`zone`, from their settings), whatever the
  // browser's; dates and times use one format everywhere (panel, views, timeline): "Aug 4, 2026, 4:00 PM".

  var zone = "UTC";

  function number(n, digits) {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits || 0 }).format(n);
  }

  /** A share 0–1 as a whole percentage, rounded the same way in every language. */
  function percent(share) {
    return t("format.percent", { n: number(100 * share) });
  }

  function dateText(iso) {
    return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone: zone })
      .format(new Date(iso));
  }

  function timeText(iso) {
    return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", timeZone: zone })
      .format(new Date(iso));
  }

  function dateTimeText(iso) {
    return t("format.dateTime", { date: dateText(iso), time: timeText(iso) });
  }

  function dayText(day) {
    return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" })
      .format(new Date(day + "T00:00:00Z"));
  }

  // The calendar day (in the user's zone) of an instant, as a day number.
  function dayNumber(date) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", { year: "numeric", month: "numeric", day: "numeric", timeZone: zone })
      .formatToParts(date).forEach(function (p) { parts[p.type] = Number(p.value); });
    return Math.round(Date.UTC(parts.year, parts.month - 1, parts.day) / 86400000);
  }

  /** "today", "yesterday", "3 days ago", "2 months ago": calendar days in the user's zone. */
  function ago(iso) {
    var days = dayNumber(new Date()) - dayNumber(new Date(iso));
    var rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
    if (Math.abs(days) < 45) {
      return rtf.format(-days, "day");
    }
    if (Math.abs(days) < 540) {
      return rtf.format(-Math.round(days / 30), "month");
    }
    return rtf.format(-Math.round(days / 365), "year");
  }

  function hoursText(hours) {
    if (hours < 1) {
      return Math.max(1, Math.round(hours * 60)) + " min";
    }
    if (hours < 48) {
      return number(hours, hours < 10 ? 1 : 0) + " h";
    }
    return t("format.days", { n: Math.round(hours / 24) });
  }

  function minutesText(minutes) {
    if (minutes < 60) {
      return minutes + " min";
    }
    var hrs = Math.floor(minutes / 60);
    var rest = minutes % 60;
    return number(hrs) + " h" + (rest && hrs < 10 ? " " + rest + " min" : "");
  }

  function present(v) {
    return v !== null && v !== undefined && v !== "";
  }

  function toneOf(stateLabel) {
    return { Good: "good", Fair: "fair", Poor: "poor" }[stateLabel] || "none";
  }

  function trendBadge(value) {
    var english = value === null || value === undefined ? null : i18n.optionLabel("en", "TREND", value);
    var arrow = { Improving: "↑", Declining: "↓", Steady: "→" }[english];
    if (!arrow) {
      return null;
    }
    return h("span", { "class": "trend trend-" + english.toLowerCase() },
      h("span", { "aria-hidden": "true" }, arrow + " "), opt("TREND", value));
  }

  // --- building blocks ------------------------------------------------------------------------------

  function card(id, title, body, extra) {
    var headingId = "h-" + id;
    return h("section", { "class": "card", id: id, "aria-labelledby": headingId },
      h("div", { "class": "card-head" }, h("h2", { id: headingId }, title), extra || null), body);
  }

  function empty(text, hint) {
    return h("div", { "class": "empty", role: "status" }, h("p", { "class": "empty-title" }, text),
      hint ? h("p", { "class": "empty-hint" }, hint) : null);
  }

  function bar(fraction, cls, label) {
    var pct = Math.max(0, Math.min(1, fraction)) * 100;
    return h("span", { "class": "meter " + (cls || ""), role: label ? "img" : null, "aria-label": label || null },
      h("span", { "class": "meter-fill", style: null, "data-width": pct.toFixed(1) }));
  }

  // Inline style attributes are set through the CSSOM (allowed under a strict style-src policy).
  function applyWidths(container) {
    Array.prototype.forEach.call(container.querySelectorAll("[data-width]"), function (el) {
      el.style.width = el.getAttribute("data-width") + "%";
    });
  }

  // --- sections -------------------------------------------------------------------------------------

  function summary(d, table) {
    var r = d.record;
    var tiles = [];
    var stateEn = present(r.osi_healthstate) ? i18n.optionLabel("en", "HEALTH_STATE", r.osi_healthstate) : null;
    var hasHealth = present(r.osi_healthscore) && (stateEn === "Good" || stateEn === "Fair" || stateEn === "Poor");
    if (hasHealth) {
      tiles.push(h("div", { "class": "tile", id: "health-tile" },
        h("div", { "class": "tile-label" }, t("health")),
        OSI.charts.gauge(r.osi_healthscore, toneOf(stateEn),
          t("healthOf", { score: r.osi_healthscore, state: opt("HEALTH_STATE", r.osi_healthstate) })),
        h("div", { "class": "tile-foot" },
          h("span", { "class": "state state-" + toneOf(stateEn), id: "health-state" },
            opt("HEALTH_STATE", r.osi_healthstate)), trendBadge(r.osi_healthtrend))));
    } else {
      var why = stateEn && stateEn !== "Not enough info" ?
        t("noHealthFor", { state: opt("HEALTH_STATE", r.osi_healthstate) }) : t("notEnoughActivityHint");
      tiles.push(h("div", { "class": "tile tile-empty", id: "health-tile" },
        h("div", { "class": "tile-label" }, t("health")), empty(t("notEnoughActivity"), why)));
    }
    if (table.scored) {
      if (present(r.osi_score)) {
        var gradeEn = i18n.optionLabel("en", "GRADE", r.osi_grade) || "";
        tiles.push(h("div", { "class": "tile", id: "score-tile" },
          h("div", { "class": "tile-label" }, t("score")),
          h("div", { "class": "score-row", role: "img",
            "aria-label": t("scoreOf", { score: r.osi_score, grade: opt("GRADE", r.osi_grade) || "–" }) },
            h("span", { "class": "score-number", id: "score-value" }, String(r.osi_score)),
            gradeEn ? h("span", { "class": "grade grade-" + gradeEn.toLowerCase() }, opt("GRADE", r.osi_grade)) : null),
          h("div", { "class": "tile-foot" }, trendBadge(r.osi_scoretrend))));
      } else {
        tiles.push(h("div", { "class": "tile tile-empty", id: "score-tile" },
          h("div", { "class": "tile-label" }, t("score")),
          empty(table.plural === "leads" ? t("noScoreLead") : t("noScoreOpportunity"))));
      }
    }
    var activity = h("dl", { "class": "activity-facts" },
      fact(t("lastActivity"), r.osi_lastactivityon, r.osi_lastactivitytype, r.osi_lastactivitydirection),
      fact(t("nextActivity"), r.osi_nextactivityon, r.osi_nextactivitytype, r.osi_nextactivitydirection));
    return h("section", { "class": "card summary", "aria-label": t("panelTitle") },
      h("div", { "class": "tiles" }, tiles), activity);
  }

  function fact(label, on, type, direction) {
    var dirEn = present(direction) ? i18n.optionLabel("en", "DIRECTION", direction) : null;
    var value = present(on) ? [opt("ACTIVITY_TYPE", type) || "", " · ", dateText(on),
      dirEn ? h("span", { "class": "muted" }, " " + (dirEn === "Outgoing" ? t("byTeam") : t("byCustomer"))) : null]
      : h("span", { "class": "muted" }, t("none"));
    return [h("dt", {}, label), h("dd", {}, value)];
  }

  var STEP_UNITS = { upcoming: "flag", older_than_won: "flag", slipped: "flag", rhythm: "ratio", deal30: "ratio",
    deal_rate: "ratio", customer_answers: "share", customer_fast: "share", team_answers: "share",
    active_share: "share", contacts_share: "share" };

  // A step of the score: the range [lo, hi) its fact fell in, worded ("4 to 6", "50 % or more").
  function stepText(step) {
    var unit = STEP_UNITS[step.what] || "count";
    if (unit === "flag") {
      return t((step.lo ? "healthWhy.yes." : "healthWhy.no.") + step.what);
    }
    var show = function (v) {
      return unit === "share" ? number(100 * v) + " %" : unit === "ratio" ? number(v, 2) + "×" : number(v);
    };
    var hi = step.hi;
    var r;
    if (unit === "count" && hi !== null && hi !== undefined) {
      var top = hi - 1;
      r = top <= step.lo ? t("healthWhy.range.exactly", { lo: show(step.lo) }) : step.lo === 0 ?
        t("healthWhy.range.fewer", { hi: show(hi) }) : t("healthWhy.range.between", { lo: show(step.lo), top: show(top) });
    } else if (hi === null || hi === undefined) {
      r = t("healthWhy.range.atLeast", { lo: show(step.lo) });
    } else {
      r = step.lo === 0 ? t("healthWhy.range.under", { hi: show(hi) }) :
        t("healthWhy.range.from", { lo: show(step.lo), hi: show(hi) });
    }
    return t("healthWhy.step." + step.what, { r: r });
  }

  // A component's sentence from its stable facts and steps, worded now, in the user's language and zone
  // ("3 days ago" is never stored).
  function stepReason(c) {
    var f = c.facts || {};
    var parts = [];
    if (c.name === "recency") {
      parts.push(f.last_two_way_on ? t("healthWhy.recencyOn", { when: ago(f.last_two_way_on),
        f: number(f.frequency_days) }) : t("healthWhy.recencyNever"));
    }
    c.steps.forEach(function (step) { parts.push(stepText(step)); });
    return parts.join(t("healthWhy.separator"));
  }

  // A health component's sentence in the user's language from its numbers (the catalogue's plurals);
  // the connector's English sentence is the fallback for rows stored without facts.
  function componentReason(c, asOf) {
    if (Array.isArray(c.steps)) {
      return stepReason(c);
    }
    var f = c.facts;
    if (!f) {
      return c.reason || "";
    }
    if (c.name === "recency") {
      if (f.days_since === null || f.days_since === undefined) {
        return f.last_on ? t("healthWhy.recency", { when: ago(f.last_on), f: number(f.frequency_days) }) :
          t("healthWhy.recencyNone");
      }
      // The last two-way contact as an instant, then worded in calendar days of the user's zone.
      var base = asOf ? new Date(asOf).getTime() : Date.now();
      var last = f.last_on || new Date(base - f.days_since * 86400000).toISOString();
      return t("healthWhy.recency", { when: ago(last), f: number(f.frequency_days) });
    }
    if (c.name === "frequency") {
      return t("healthWhy.frequency", { n: f.touchpoints, window: number(f.window_days),
        expected: number(f.expected), f: number(f.frequency_days) });
    }
    if (c.name === "responsiveness") {
      var parts = [];
      if (f.unanswered_tail === 1) {
        parts.push(t("healthWhy.noReplyLast"));
      } else if (f.unanswered_tail > 1) {
        parts.push(t("healthWhy.noReplyLastN", { n: number(f.unanswered_tail) }));
      }
      if (f.customer_hours !== null && f.customer_hours !== undefined) {
        parts.push(t("healthWhy.customerAnswers", { d: hoursText(f.customer_hours) }));
      }
      if (f.team_hours !== null && f.team_hours !== undefined) {
        parts.push(t("healthWhy.teamAnswers", { d: hoursText(f.team_hours) }));
      }
      return parts.length ? parts.join(t("healthWhy.separator")) : t("healthWhy.noAnswered");
    }
    if (c.name === "reciprocity") {
      return f.interactions ? t("healthWhy.reciprocity", { started: number(f.customer_started),
        n: f.interactions, active: number(f.active) }) : t("healthWhy.noInteractions");
    }
    if (c.name === "breadth") {
      return t("healthWhy.breadth", { n: f.people_customer, team: number(f.people_team) });
    }
    if (c.name === "stage") {
      return t("healthWhy.stage", { step: number(f.step), of: number(f.of) });
    }
    return c.reason || "";
  }

  function healthReasons(d) {
    var reasons = d.healthReasons;
    var stateEn = present(d.record.osi_healthstate) ? i18n.optionLabel("en", "HEALTH_STATE", d.record.osi_healthstate) :
      null;
    // No component bars next to a gauge that says there is no score yet.
    if (!reasons || !Array.isArray(reasons.components) || !reasons.components.length ||
        ["Good", "Fair", "Poor"].indexOf(stateEn) < 0) {
      return null;
    }
    var items = reasons.components.map(function (c) {
      var max = 100 * (c.weight || 0);
      return h("li", { "class": "component", "data-component": c.name },
        h("div", { "class": "component-head" },
          h("span", { "class": "component-name" }, t("components." + c.name)),
          h("span", { "class": "muted" }, t("points", { n: number(c.contribution || 0), max: number(max) }))),
        bar(c.value || 0, c.value >= 0.66 ? "good" : c.value >= 0.33 ? "fair" : "poor"),
        h("p", { "class": "reason" }, componentReason(c, reasons.as_of)));
    });
    return card("health-reasons", t("why"), h("ul", { "class": "components" }, items));
  }

  // Choice labels of the record's table and the tables scoring borrows from, in the user's language (from
  // Dataverse's choice metadata); reasons carry the English label the sync read.
  var choices = {};

  function choiceText(feature, value) {
    if (value === null || value === undefined) {
      return value;
    }
    var m = /^(account|contact)_(.+)$/.exec(String(feature || ""));
    var table = m ? m[1] : currentTable;
    var column = m ? m[2] : String(feature || "").replace(/^sales_stage$/, "salesstage");
    var labels = (choices[table] || {})[column];
    return labels && labels[String(value)] ? labels[String(value)] : String(value);
  }

  var currentTable = "";

  // A reason worded in the user's language from its numbers ("facts"); the connector's English
  // sentences are the fallback (older rows, or a language without templates).
  function reasonWords(r, table) {
    var f = r.facts;
    if (lang === "en" || !f || !f.kind) {
      return { text: r.text || r.feature || "", evidence: r.evidence || "" };
    }
    if (!("compare" in f)) {
      return legacyReasonWords(r, table);
    }
    reasonFeature = r.feature;
    var label = i18n.columnLabel(lang, r.feature, f.label);
    var pct = function (rate) { return rate === null || rate === undefined ? "–" : percent(rate); };
    var plural = t("reason.plural." + table.plural);
    var value = f.kind === "category" ? reasonCategory(f.value) : reasonNumber(f.value, f.unit, f.missing);
    var text = t("reason.is", { label: label, value: value });
    if (!f.compare) {
      return { text: text, evidence: "" };
    }
    var where = reasonWhere(label, f.kind, f.value, f.range, f.unit, f.missing);
    var against = f.compare === "overall" ? t("reason.againstOverall", { overall: pct(f.overall) }) :
      t("reason.againstTypical", { rate: pct(f.reference_rate), plural: plural,
        where: reasonWhere(label, f.kind, f.reference_value, f.reference_range, f.unit, f.missing) });
    return { text: text, evidence: t("reason.evidence", { rate: pct(f.rate), plural: plural, where: where,
      outcome: t("reason.outcome." + table.plural), against: against, count: number(f.count || 0) }) };
  }

  // The feature whose values are being worded: its choice labels come from the metadata in the user's language.
  var reasonFeature = "";

  function reasonCategory(value) {
    if (value === "empty" || value === null || value === undefined) {
      return t("reason.empty");
    }
    return value === "Yes" ? t("reason.yes") : value === "No" ? t("reason.no") : choiceText(reasonFeature, value);
  }

  // A number with its unit in the user's language ("8 heures", "3 jours", "40 %"); "never" stays a word.
  function reasonNumber(value, unit, missing) {
    if (value === null || value === undefined) {
      return t("reason.missing." + (missing || "empty"));
    }
    var days = function (d) {
      if (d < 1) {
        var h = Math.round(24 * d);
        return h === 0 ? t("reason.unit.underAnHour") : t(h === 1 ? "reason.unit.hour" : "reason.unit.hours", { n: h });
      }
      var n = Math.round(d);
      return t(n === 1 ? "reason.unit.day" : "reason.unit.days", { n: number(n) });
    };
    if (unit === "days") {
      return days(value);
    }
    if (unit === "hours") {
      return value >= 48 ? days(value / 24) :
        t(Math.round(value) === 1 ? "reason.unit.hour" : "reason.unit.hours", { n: number(Math.round(value)) });
    }
    if (unit === "share") {
      return number(100 * value) + " %";
    }
    return Math.abs(value) >= 10 || Math.abs(value - Math.round(value)) < 0.05 ? number(Math.round(value)) :
      number(value, 1);
  }

  function reasonWhere(label, kind, value, range, unit, missing) {
    if (kind === "category" || !range) {
      return t("reason.equals", { label: label, value: reasonCategory(value) });
    }
    if (range.op === "missing") {
      return t("reason.equals", { label: label, value: t("reason.missing." + (missing || "empty")) });
    }
    return t("reason.range." + range.op, { label: label,
      lo: range.lo === undefined ? "" : reasonNumber(range.lo, unit),
      hi: range.hi === undefined ? "" : reasonNumber(range.hi, unit) });
  }

  // Reasons stored before their facts said which comparison agrees with the score.
  function legacyReasonWords(r, table) {
    var f = r.facts;
    var label = i18n.columnLabel(lang, r.feature, f.label);
    var pct = function (rate) { return rate === null || rate === undefined ? "–" : number(100 * rate) + " %"; };
    var num = function (v) { return number(v, Math.abs(v) < 10 ? 2 : 0); };
    var words = { plural: t("reason.plural." + table.plural), outcome: t("reason.outcome." + table.plural),
      label: label, overall: pct(f.overall), rate: pct(f.rate), count: number(f.count || 0) };
    if (f.kind === "category") {
      words.value = f.value === "empty" ? t("reason.empty") : choiceText(r.feature, f.value);
      words.neutral = f.neutral === "empty" ? t("reason.empty") : choiceText(r.feature, f.neutral);
      return {
        text: t("reason.is", words) + (f.neutral !== null ? " " + t("reason.mostCommon", words) : ""),
        evidence: f.count ? t("reason.categoryEvidence", words) : t("reason.noneLike", { plural: words.plural,
          where: t("reason.equals", words) })
      };
    }
    words.value = f.value === null ? t("reason.empty") : num(f.value);
    words.neutral = f.neutral === null ? "" : num(f.neutral);
    var where = "";
    if (f.range) {
      var rw = { label: label, lo: f.range.lo === undefined ? "" : num(f.range.lo),
        hi: f.range.hi === undefined ? "" : num(f.range.hi) };
      where = t("reason.range." + f.range.op, rw);
    }
    return {
      text: t("reason.is", words) + (f.neutral !== null ? " " + t("reason.typical", words) : ""),
      evidence: !f.range ? "" : f.count ? t("reason.numberEvidence", { plural: words.plural, where: where,
        outcome: words.outcome, rate: words.rate, overall: words.overall }) :
        t("reason.noneLike", { plural: words.plural, where: where })
    };
  }

  // Low confidence, and why: a model from few closed records, or one tested on too few to trust its figures.
  function confidenceNotice(reasons) {
    var trust = reasons.confidence || {};
    var why = trust.reasons || [];
    if (reasons.readiness === "Not ready" && why.indexOf("few_test_records") >= 0) {
      return h("p", { "class": "notice" }, t("notReadyFewTests", { n: number(trust.n_test || 0),
        min: number(trust.min_test || 0) }));
    }
    return reasons.low_confidence ? h("p", { "class": "notice" }, t("lowConfidence")) : null;
  }

  function scoreReasons(d, table) {
    if (!table.scored || !present(d.record.osi_score)) {
      return null;
    }
    var reasons = d.scoreReasons || {};
    var list = function (items, sign) {
      if (!items || !items.length) {
        return h("p", { "class": "muted" }, t("noReasons"));
      }
      return h("ul", { "class": "reasons" }, items.map(function (r) {
        var n = Math.abs(Number(r.impact) || 0);
        var words = reasonWords(r, table);
        return h("li", { "class": "reason-item " + (sign > 0 ? "up" : "down") },
          h("span", { "class": "impact", "aria-label": t("pointsImpact", { sign: sign > 0 ? "+" : "−", n: n }) },
            (sign > 0 ? "+" : "−") + number(n, 1)),
          h("div", {}, h("p", { "class": "reason-text" }, words.text),
            words.evidence ? h("p", { "class": "evidence" }, words.evidence) : null));
      }));
    };
    var body = [
      confidenceNotice(reasons),
      h("h3", {}, t("raises")), list(reasons.positive, 1),
      h("h3", {}, t("lowers")), list(reasons.negative, -1)
    ];
    var history = Array.isArray(d.history) ? d.history.filter(function (p) { return present(p.osi_score); }) : [];
    if (history.length) {
      var points = history.map(function (p) { return { day: String(p.osi_day).slice(0, 10), score: p.osi_score }; });
      body.push(h("h3", {}, t("scoreHistory")));
      if (points.length > 1) {
        var first = points[0];
        var last = points[points.length - 1];
        body.push(OSI.charts.scoreLine(points, t("scoreHistoryAlt", { first: first.score, from: dayText(first.day),
          last: last.score, to: dayText(last.day), n: points.length }), dayText));
      } else {
        body.push(h("p", { "class": "muted" }, t("oneScore")));
      }
    }
    return card("score-reasons", t("whyScore"), body);
  }

  function kpis(d) {
    var r = d.record;
    var previous = d.analytics && d.analytics.kpis && d.analytics.kpis.previous || null;
    var rows = [
      ["emails", "osi_emailssent", "osi_emailsreceived", number],
      ["meetings", "osi_meetingssent", "osi_meetingsreceived", number],
      ["calls", "osi_callsmade", "osi_callsreceived", number],
      ["initiated", "osi_initiatedbyteam", "osi_initiatedbycustomer", number],
      ["responseTime", "osi_responsehoursteam", "osi_responsehourscustomer", hoursText],
      ["responseRate", "osi_responserateteam", "osi_responseratecustomer", percent],
      ["timeSpent", "osi_timespentteam", "osi_timespentcustomer", minutesText]
    ].filter(function (row) { return present(r[row[1]]) || present(r[row[2]]); });
    if (!rows.length) {
      return card("kpis", t("kpis"), empty(t("notEnoughActivity")));
    }
    var table = h("table", { "class": "kpi-table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, h("span", { "class": "sr-only" }, "KPI")),
        h("th", { scope: "col", "class": "num team" }, t("ourTeam")), h("th", { scope: "col" },
          h("span", { "class": "sr-only" }, "↔")),
        h("th", { scope: "col", "class": "num customer" }, t("customer")))),
      h("tbody", {}, rows.map(function (row) {
        var team = Number(r[row[1]]) || 0;
        var cust = Number(r[row[2]]) || 0;
        var max = Math.max(team, cust) || 1;
        var prevTeam = previous ? previous[row[1].replace("osi_", "")] : null;
        var delta = present(prevTeam) && row[3] === number && present(r[row[1]]) ? team - prevTeam : null;
        return h("tr", { "data-kpi": row[0] },
          h("th", { scope: "row" }, t("kpi." + row[0])),
          h("td", { "class": "num team", "data-side": "team",
            title: delta !== null ? t("vsPrevious", { sign: delta >= 0 ? "+" : "−", n: Math.abs(delta) }) : null },
            present(r[row[1]]) ? row[3](team) : "–"),
          h("td", { "class": "versus", "aria-hidden": "true" },
            h("span", { "class": "half left" }, bar(team / max, "team")),
            h("span", { "class": "half right" }, bar(cust / max, "customer"))),
          h("td", { "class": "num customer", "data-side": "customer" }, present(r[row[2]]) ? row[3](cust) : "–"));
      })));
    return card("kpis", t("kpis"), table);
  }

  function activity(d) {
    var a = d.analytics;
    if (!a) {
      return card("activity", t("chart"), empty(t("notEnoughActivity")));
    }
    var labels = t("series");
    // The last 90 days up to today (the stored days are dated; nothing in them says when they were computed).
    var lastDay = new Date().toLocaleDateString("en-CA");
    var built = OSI.charts.activityChart(a.daily || {}, lastDay, labels, t("chart"), dayText);
    var parts = OSI.charts.TEAM_SERIES.concat(OSI.charts.CUSTOMER_SERIES).map(function (name) {
      return labels[name] + " " + built.totals[name];
    });
    var total = Object.keys(built.totals).reduce(function (sum, k) { return sum + built.totals[k]; }, 0);
    built.svg.setAttribute("aria-label", t("chartAlt", { summary: parts.join(", ") }));
    var legend = h("ul", { "class": "legend", "aria-hidden": "true" },
      OSI.charts.TEAM_SERIES.concat(OSI.charts.CUSTOMER_SERIES).map(function (name) {
        return h("li", {}, h("span", { "class": "swatch s-" + name }), labels[name]);
      }));
    var sides = h("div", { "class": "chart-sides", "aria-hidden": "true" },
      h("span", {}, "▲ " + t("ourTeam")), h("span", {}, "▼ " + t("customer")));
    var tableAlt = h("details", { "class": "chart-table" }, h("summary", {}, t("chartTable")),
      h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("activityType")),
        h("th", { scope: "col", "class": "num" }, t("total")))),
        h("tbody", {}, Object.keys(built.totals).map(function (k) {
          return h("tr", {}, h("th", { scope: "row" }, labels[k]), h("td", { "class": "num" }, built.totals[k]));
        }))));
    var people = mostActive(a.most_contacted);
    return card("activity", t("chart"), [total ? [sides, built.svg, legend, tableAlt] :
      empty(t("noActivity90")), people]);
  }

  function mostActive(mc) {
    if (!mc || (!(mc.team || []).length && !(mc.customer || []).length)) {
      return null;
    }
    var column = function (title, people) {
      return h("div", { "class": "people-col" }, h("h3", {}, title), h("ul", { "class": "people" },
        (people || []).map(function (p) {
          var n = (p.emails || 0) + (p.meetings || 0) + (p.calls || 0);
          return h("li", {}, h("span", { "class": "avatar", "aria-hidden": "true" }, initials(p.name || p.id)),
            h("span", {}, h("span", { "class": "person-name" }, p.name || p.id || ""),
              h("span", { "class": "muted small" }, t("interactions", { n: n }) +
                (p.last_on ? " · " + ago(p.last_on) : ""))));
        })));
    };
    return h("div", { "class": "most-active" }, h("h3", { "class": "sub" }, t("mostActive")),
      h("div", { "class": "people-cols" }, column(t("ourTeam"), mc.team), column(t("customer"), mc.customer)));
  }

  function initials(name) {
    return String(name || "?").split(/[\s@.]+/).filter(Boolean).slice(0, 2).map(function (w) {
      return w.charAt(0).toUpperCase();
    }).join("");
  }

  function strengthBand(n) {
    return n >= 70 ? "strong" : n >= 40 ? "good" : "weak";
  }

  function whoKnows(d, xrm, ref, user) {
    if (d.connections === null) {
      return null;
    }
    var rows = Array.isArray(d.connections) ? d.connections : [];
    if (!rows.length) {
      return card("wkw", t("wkw"), empty(t("wkwEmpty")));
    }
    var person = d.record.fullname || d.record.name || "";
    return card("wkw", t("wkw"), [h("p", { "class": "muted small" }, t("wkwWindow")),
      h("ul", { "class": "colleagues" }, rows.map(function (c) {
      var colleague = d.users[data.cleanId(c.osi_userid)] || {};
      var name = colleague.fullname || c.osi_userid;
      var strength = Number(c.osi_strength) || 0;
      var status = h("p", { "class": "action-status", role: "status", "aria-live": "polite" });
      var button = h("button", { type: "button", "class": "btn btn-secondary", "data-action": "introduce",
        "aria-label": t("introduceLabel", { name: name }) }, t("introduce"));
      button.addEventListener("click", function () {
        introduce(xrm, ref, d.wkwSettings || {}, user, c.osi_userid, colleague, name, person, strength, status);
      });
      return h("li", { "class": "colleague", "data-user": data.cleanId(c.osi_userid) },
        h("span", { "class": "avatar", "aria-hidden": "true" }, initials(name)),
        h("div", { "class": "colleague-main" },
          h("div", { "class": "colleague-name" }, name, colleague.title ? h("span", { "class": "muted small" },
            " · " + colleague.title) : null),
          h("div", { "class": "strength" }, bar(strength / 100, "strength", t("strengthOf", { n: strength })),
            h("span", { "class": "small" }, t("strength." + strengthBand(strength)))),
          h("div", { "class": "muted small" }, t("counts", { e: c.osi_emailcount || 0, m: c.osi_meetingcount || 0,
            c: c.osi_callcount || 0 }) + (c.osi_lastinteractionon ? " · " +
            t("lastContact", { when: ago(c.osi_lastinteractionon) }) : ""))),
        button, status);
    }))]);
  }

  // The admin's template for the user's language (the catalogue's when none), worded for how well the
  // colleague knows the person; a draft e-mail To the colleague, opened for the user to edit and send.
  function introduce(xrm, ref, settings, user, colleagueId, colleague, name, person, strength, status) {
    var template = settings["intro_" + lang] || {};
    var values = { colleague: colleague.firstname || name, person: person, me: user && user.name || "",
      strength: strengthBand(strength) };
    var subject = i18n.formatIcu(template.subject || t("introTemplate.subject"), lang, values);
    var body = i18n.formatIcu(template.body || t("introTemplate.body"), lang, values);
    if (typeof body !== "string") {
      body = "";
    }
    data.draftIntroduction(xrm, ref, colleagueId, user && user.userId, subject, body).then(function (id) {
      status.textContent = t("introDrafted", { name: name });
      if (xrm.Navigation && xrm.Navigation.openForm) {
        xrm.Navigation.openForm({ entityName: "email", entityId: id });
      }
    }, function (error) {
      status.className = "action-status error";
      status.textContent = t("actionFailed", { message: (error && error.message) || String(error) });
    });
  }

  // The latest mention per topic; a sentence about two topics (a son's football match: family and sports)
  // is shown once, with both topics.
  function talkingPoints(d) {
    if (d.talkingPoints === null) {
      return null;
    }
    var rows = Array.isArray(d.talkingPoints) ? d.talkingPoints : [];
    var seen = {};
    var entries = [];
    var bySnippet = {};
    rows.forEach(function (p) {
      if (seen[p.osi_topic]) {
        return;
      }
      seen[p.osi_topic] = true;
      var key = (p.osi_snippet || "") + "|" + (p.osi_sourceemailid || "");
      if (bySnippet[key]) {
        bySnippet[key].topics.push(p.osi_topic);
        return;
      }
      bySnippet[key] = { point: p, topics: [p.osi_topic] };
      entries.push(bySnippet[key]);
    });
    if (!entries.length) {
      return card("talking-points", t("talkingPoints"), empty(t("talkingEmpty")));
    }
    return card("talking-points", t("talkingPoints"), h("ul", { "class": "points" }, entries.map(function (e) {
      var p = e.point;
      var names = e.topics.map(function (topic) { return opt("TOPIC", topic) || ""; });
      return h("li", { "class": "point", "data-point": p.osi_talkingpointid || null },
        h("span", { "class": "topics" }, e.topics.map(function (topic) {
          var topicEn = i18n.optionLabel("en", "TOPIC", topic) || "";
          return h("span", { "class": "topic topic-" + topicEn.toLowerCase() }, opt("TOPIC", topic) || "");
        })),
        h("div", {}, h("p", { "class": "snippet" }, "“" + (p.osi_snippet || "") + "”"),
          h("p", { "class": "muted small" }, p.osi_mentionedon ? t("aboutTopic", { when: ago(p.osi_mentionedon),
            topic: names.join(", ").toLowerCase() }) : "")));
    })));
  }

  // An appointment or call whose time has passed is not offered, even before the next run marks it Expired.
  function isLive(sg) {
    var payload = data.parseJson(sg.osi_payload) || {};
    var kind = i18n.optionLabel("en", "SUGGESTION_TYPE", sg.osi_suggestiontype);
    var start = payload.start || sg.osi_start;
    if ((kind !== "Appointment" && kind !== "Phone call") || !start) {
      return true;
    }
    var end = payload.all_day ? new Date(start).getTime() + 86400000 : new Date(payload.end || start).getTime();
    return end > Date.now();
  }

  function suggestions(d, xrm, ref) {
    var rows = (Array.isArray(d.suggestions) ? d.suggestions : []).filter(isLive);
    if (!rows.length) {
      return card("suggestions", t("suggestions"), empty(t("suggestionsEmpty")));
    }
    return card("suggestions", t("suggestions"), h("ul", { "class": "suggestions" }, rows.map(function (sg) {
      return suggestionItem(sg, xrm, ref);
    })));
  }

  function suggestionItem(sg, xrm, ref) {
    var payload = data.parseJson(sg.osi_payload) || {};
    var kind = i18n.optionLabel("en", "SUGGESTION_TYPE", sg.osi_suggestiontype) || "Task";
    var typeText = opt("SUGGESTION_TYPE", sg.osi_suggestiontype) || kind;
    var subject = payload.subject || sg.osi_name || "";
    var when = payload.start || sg.osi_start;
    var due = payload.due || sg.osi_due;
    var details = [];
    if (when) {
      details.push(payload.all_day ? dateText(when) + " · " + t("allDay") : dateTimeText(when));
    }
    if (due) {
      details.push(t("due", { when: dateText(due) }));
    }
    if (payload.participants && payload.participants.length) {
      details.push(t("with", { names: payload.participants.join(", ") }));
    }
    if (present(sg.osi_confidence)) {
      details.push(t("confidence", { n: Math.round(100 * sg.osi_confidence) }));
    }
    var create = h("button", { type: "button", "class": "btn btn-primary", "data-action": "create",
      "aria-label": t("createLabel", { type: typeText.toLowerCase(), subject: subject }) }, t("create"));
    var dismiss = h("button", { type: "button", "class": "btn btn-secondary", "data-action": "dismiss",
      "aria-label": t("dismissLabel", { subject: subject }) }, t("dismiss"));
    var status = h("p", { "class": "action-status", role: "status", "aria-live": "polite" });
    var actions = h("div", { "class": "actions" }, create, dismiss);
    var item = h("li", { "class": "suggestion", "data-suggestion": sg.osi_notesuggestionid, "data-kind": kind },
      h("div", { "class": "suggestion-head" }, h("span", { "class": "chip" }, typeText),
        h("span", { "class": "suggestion-subject" }, subject)),
      details.length ? h("p", { "class": "muted small" }, details.join(" · ")) : null, actions, status);
    var busy = function (on) {
      create.disabled = on;
      dismiss.disabled = on;
    };
    var fail = function (error) {
      busy(false);
      status.className = "action-status error";
      status.textContent = t("actionFailed", { message: (error && error.message) || String(error) });
    };
    create.addEventListener("click", function () {
      busy(true);
      data.acceptSuggestion(xrm, sg, kind, ref, optValue("SUGGESTION_STATUS", "Accepted"), t("fromNote"))
        .then(function (created) {
          item.classList.add("done");
          actions.remove();
          status.textContent = t("created", { type: typeText });
          if (xrm.Navigation && xrm.Navigation.openForm) {
            var open = h("button", { type: "button", "class": "btn btn-link" }, t("open"));
            open.addEventListener("click", function () {
              xrm.Navigation.openForm({ entityName: created.entity, entityId: created.id });
            });
            status.appendChild(document.createTextNode(" "));
            status.appendChild(open);
          }
        }, fail);
    });
    dismiss.addEventListener("click", function () {
      busy(true);
      data.dismissSuggestion(xrm, sg, optValue("SUGGESTION_STATUS", "Dismissed")).then(function () {
        item.classList.add("done");
        actions.remove();
        status.textContent = t("dismissed");
      }, fail);
    });
    return item;
  }

  // --- assistant cards ------------------------------------------------------------------------------

  function calendarDate(day) {
    return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" })
      .format(new Date(day + "T12:00:00Z"));
  }

  // A card's title and sentence, worded now from its stored facts (absolute times: "for 23 days" is
  // counted at display time, in the user's zone and language).
  function cardWords(card, details) {
    var f = details.facts || {};
    var kind = details.card;
    var rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
    var today = dayNumber(new Date());
    if (kind === "no_activity") {
      var days = today - dayNumber(new Date(f.since));
      return { title: t("cards.no_activity.title", { days: days }), body: t("cards.no_activity.body",
        { since: dateText(f.since) }) };
    }
    if (kind === "close_soon" || kind === "close_missed") {
      var until = Math.round(Date.UTC(Number(f.close_date.slice(0, 4)), Number(f.close_date.slice(5, 7)) - 1,
        Number(f.close_date.slice(8, 10))) / 86400000) - today;
      return { title: t("cards." + kind + ".title", { when: rtf.format(until, "day") }),
        body: t("cards." + kind + ".body", { date: calendarDate(f.close_date) }) };
    }
    if (kind === "email_unanswered") {
      return { title: t("cards.email_unanswered.title"), body: t("cards.email_unanswered.body",
        { subject: f.subject || "", when: ago(f.received_on) + " (" + timeText(f.received_on) + ")" }) };
    }
    if (kind === "meeting_today") {
      return { title: t("cards.meeting_today.title", { time: timeText(f.start) }),
        body: t("cards.meeting_today.body", { subject: f.subject || "" }) };
    }
    if (kind === "score_change" || kind === "health_change") {
      return { title: t("cards." + kind + ".title", { direction: f.after >= f.before ? "up" : "down",
        points: Math.abs(f.after - f.before) }), body: t("cards." + kind + ".body", { before: number(f.before),
        after: number(f.after), date: f.day ? calendarDate(f.day) : "" }) };
    }
    return { title: card.subject || "", body: "" };
  }

  function assistantCards(d, xrm, user) {
    var rows = Array.isArray(d.cards) ? d.cards : [];
    if (!rows.length) {
      return card("assistant", t("cards.title"), empty(t("cards.empty")));
    }
    return card("assistant", t("cards.title"), h("ul", { "class": "cards" }, rows.map(function (c) {
      var details = data.parseJson(c.osi_details) || {};
      var words = cardWords(c, details);
      var status = h("p", { "class": "action-status", role: "status", "aria-live": "polite" });
      var dismiss = h("button", { type: "button", "class": "btn btn-secondary", "data-action": "dismiss-card",
        "aria-label": t("cards.dismissLabel", { title: words.title }) }, t("cards.dismiss"));
      var item = h("li", { "class": "assistant-card card-" + details.card, "data-card": details.card,
        "data-key": c.osi_key }, h("p", { "class": "card-title" }, words.title),
        words.body ? h("p", { "class": "muted small" }, words.body) : null, user.userId ? dismiss : null, status);
      dismiss.addEventListener("click", function () {
        dismiss.disabled = true;
        data.dismissCard(xrm, c, user.userId).then(function () {
          item.classList.add("done");
          dismiss.remove();
          status.textContent = t("cards.dismissed");
        }, function (error) {
          dismiss.disabled = false;
          status.className = "action-status error";
          status.textContent = t("actionFailed", { message: (error && error.message) || String(error) });
        });
      });
      return item;
    })));
  }

  function similarDeals(d) {
    if (d.similar === null || d.similar === undefined) {
      return null;
    }
    var rows = Array.isArray(d.similar) ? d.similar : [];
    if (!rows.length) {
      return card("similar", t("similar.title"), empty(t("similar.empty")));
    }
    return card("similar", t("similar.title"), [h("p", { "class": "muted small" }, t("similar.why")),
      h("ul", { "class": "similar" }, rows.map(function (row) {
        var f = data.parseJson(row.osi_details) || {};
        var lines = [];
        if (f.won_on) {
          lines.push(t("similar.won", { date: calendarDate(f.won_on), days: f.days_to_close || 0 }));
        }
        if (Array.isArray(f.activity_days) && f.this_created_on) {
          // What it had by the age this opportunity has today (counted now, from the stored activity days).
          var age = dayNumber(new Date()) - dayNumber(new Date(f.this_created_on));
          var had = f.activity_days.filter(function (day) { return day <= age; }).length;
          lines.push(t("similar.atAge", { n: had, age: number(age), mine: number(f.this_activities || 0) }));
        }
        lines.push(t("similar.total", { n: f.activities_total || 0 }));
        return h("li", { "class": "similar-deal", "data-similar": row.osi_similarid },
          h("div", { "class": "colleague-name" }, f.name || "", f.estimated_value !== null &&
            f.estimated_value !== undefined ? h("span", { "class": "muted small" }, " · " + number(f.estimated_value)) :
            null, f.same_industry ? h("span", { "class": "chip" }, t("similar.sameIndustry")) : null),
          h("p", { "class": "muted small" }, lines.join(" · ")),
          h("span", { "class": "small" }, t("similar.similarity", { n: percent(row.osi_similarity || 0) })));
      }))]);
  }

  // --- page -----------------------------------------------------------------------------------------

  function render(main, d, xrm, ref, user) {
    var table = data.TABLES[ref.entity];
    var computed = d.record.osi_insightscomputedon || d.record.osi_scoredon;
    var head = h("header", { "class": "panel-head" }, h("h1", {}, t("panelTitle")),
      computed ? h("span", { "class": "muted small" }, t("updated", { when: ago(computed) })) : null);
    var sections = [head, summary(d, table), assistantCards(d, xrm, user), healthReasons(d), scoreReasons(d, table),
      similarDeals(d), kpis(d), activity(d), whoKnows(d, xrm, ref, user), talkingPoints(d), suggestions(d, xrm, ref)];
    main.textContent = "";
    sections.forEach(function (section) {
      if (section) {
        main.appendChild(section);
      }
    });
    applyWidths(main);
    main.setAttribute("aria-busy", "false");
    main.setAttribute("data-state", "ready");
  }

  function showMessage(main, text, retry) {
    main.textContent = "";
    main.appendChild(empty(text));
    if (retry) {
      var button = h("button", { type: "button", "class": "btn btn-secondary" }, t("retry"));
      button.addEventListener("click", retry);
      main.appendChild(button);
    }
    main.setAttribute("aria-busy", "false");
    main.setAttribute("data-state", "message");
  }

  function start() {
    var main = document.getElementById("osi-panel");
    var xrm = data.findXrm();
    var ref = data.recordRef(xrm);
    var begin = function (lcid) {
      lang = i18n.languageOf(lcid);
      t = i18n.translator(lang);
      locale = i18n.locales[lang];
      document.documentElement.lang = lang;
    };
    begin(xrm ? data.languageId(xrm, ref) : ref.lcid);
    if (!xrm) {
      showMessage(main, t("noXrm"));
      return;
    }
    if (!ref.id || !data.TABLES[ref.entity]) {
      showMessage(main, t("unsaved"));
      return;
    }
    var run = function () {
      main.setAttribute("aria-busy", "true");
      main.textContent = "";
      main.appendChild(h("p", { "class": "loading", role: "status" }, t("loading")));
      var current = null;
      data.userContext(xrm, ref).then(function (user) {
        current = user;
        begin(user.lcid);
        zone = user.zone;
        main.setAttribute("data-zone", zone);
        currentTable = ref.entity;
        return Promise.all([data.load(xrm, ref, optValue("SUGGESTION_STATUS", "New"), user),
          data.choiceLabels(xrm, data.TABLES[ref.entity].scored ? [ref.entity, "account", "contact"] : [], user.lcid)]);
      }).then(function (parts) {
        choices = parts[1];
        return parts[0];
      }).then(function (d) {
        render(main, d, xrm, ref, current);
      }, function (error) {
        showMessage(main, t("loadError") + ": " + ((error && error.message) || String(error)), run);
      });
    };
    run();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})(window);
