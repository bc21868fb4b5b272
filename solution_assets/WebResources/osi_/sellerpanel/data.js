// Everything the seller panel reads and writes, through Xrm.WebApi only (the form's own session and the
// user's privileges: the panel holds no token and calls no URL itself).
(function (root) {
  "use strict";
  root.OSI = root.OSI || {};

  var TABLES = {
    contact: { set: "contacts", name: "fullname", person: true },
    account: { set: "accounts", name: "name", person: false },
    lead: { set: "leads", name: "fullname", person: true, scored: true, plural: "leads" },
    opportunity: { set: "opportunities", name: "name", person: false, scored: true, plural: "opportunities" }
  };
  // Entity set names of the standard tables never change, so @odata.bind paths need no metadata call.

  var RELATIONSHIP = ["osi_emailssent", "osi_emailsreceived", "osi_meetingssent", "osi_meetingsreceived",
    "osi_callsmade", "osi_callsreceived", "osi_initiatedbyteam", "osi_initiatedbycustomer",
    "osi_responsehoursteam", "osi_responsehourscustomer", "osi_responserateteam", "osi_responseratecustomer",
    "osi_timespentteam", "osi_timespentcustomer", "osi_lastactivityon", "osi_lastactivitytype",
    "osi_lastactivitydirection", "osi_nextactivityon", "osi_nextactivitytype", "osi_nextactivitydirection",
    "osi_healthscore", "osi_healthstate", "osi_healthtrend", "osi_healthreasons", "osi_analytics",
    "osi_insightscomputedon"];
  var SCORE = ["osi_score", "osi_grade", "osi_scoretrend", "osi_scorereasons", "osi_scoredon", "osi_modelversion"];

  /** The Xrm object of the hosting form (a web resource runs in an iframe of the form), or null. */
  function findXrm() {
    try {
      if (root.parent && root.parent !== root && root.parent.Xrm && root.parent.Xrm.WebApi) {
        return root.parent.Xrm;
      }
    } catch (crossOrigin) {
      // A parent on another origin is not a Dynamics form: fall through to our own window.
    }
    return root.Xrm && root.Xrm.WebApi ? root.Xrm : null;
  }

  function cleanId(id) {
    return id ? String(id).replace(/[{}]/g, "").toLowerCase() : "";
  }

  /**
   * The record the panel is about: the `typename` and `id` parameters Dynamics passes to a web resource
   * with "Pass record object-type code and unique identifier", else the `data` parameter
   * ("typename=contact&id=…"), else the form context.
   */
  function recordRef(xrm, search) {
    var params = new URLSearchParams(search || root.location.search);
    var entity = params.get("typename");
    var id = params.get("id");
    if ((!entity || !id) && params.get("data")) {
      var data = new URLSearchParams(params.get("data"));
      entity = entity || data.get("typename") || data.get("entity");
      id = id || data.get("id");
    }
    if ((!entity || !id) && xrm && xrm.Page && xrm.Page.data && xrm.Page.data.entity) {
      entity = entity || xrm.Page.data.entity.getEntityName();
      id = id || xrm.Page.data.entity.getId();
    }
    return { entity: entity || "", id: cleanId(id), lcid: params.get("userlcid") };
  }

  function languageId(xrm, ref) {
    try {
      return xrm.Utility.getGlobalContext().userSettings.languageId;
    } catch (missing) {
      return Number(ref.lcid) || 1033;
    }
  }

  // Xrm gives only the current UTC offset; a fixed-offset zone is the fallback when the user's own
  // Dynamics zone cannot be read (it is wrong across daylight-saving changes, so it is only a fallback).
  function offsetZone(minutes) {
    if (typeof minutes !== "number" || minutes % 60 !== 0) {
      return "UTC";
    }
    return minutes === 0 ? "UTC" : "Etc/GMT" + (minutes > 0 ? "-" : "+") + Math.abs(minutes / 60);
  }

  /**
   * The signed-in user as the form knows them: language, id and IANA time zone. The zone is the user's
   * Dynamics one (usersettings.timezonecode → timezonedefinitions.standardname, a Windows id → IANA by CLDR),
   * never the browser's: a seller travelling sees the times of their own settings, as the views show them.
   */
  function userContext(xrm, ref) {
    var settings = {};
    try {
      settings = xrm.Utility.getGlobalContext().userSettings || {};
    } catch (missing) {
      settings = {};
    }
    var offset = typeof settings.getTimeZoneOffsetMinutes === "function" ? settings.getTimeZoneOffsetMinutes() : null;
    var base = { lcid: settings.languageId || Number(ref.lcid) || 1033, userId: cleanId(settings.userId),
      name: settings.userName || "", zone: offsetZone(offset) };
    if (!base.userId) {
      return Promise.resolve(base);
    }
    return xrm.WebApi.retrieveRecord("usersettings", base.userId, "?$select=timezonecode").then(function (row) {
      if (row.timezonecode === null || row.timezonecode === undefined) {
        return base;
      }
      return many(xrm, "timezonedefinition", "?$select=standardname&$filter=timezonecode eq " +
        Number(row.timezonecode)).then(function (defs) {
        var zone = defs.length ? (root.OSI.windowsZones || {})[defs[0].standardname] : null;
        return { lcid: base.lcid, userId: base.userId, name: base.name, zone: zone || base.zone };
      });
    }).catch(function () {
      return base;
    });
  }

  function quote(text) {
    return "'" + String(text).replace(/'/g, "''") + "'";
  }

  function parseJson(text) {
    if (!text) {
      return null;
    }
    try {
      return JSON.parse(text);
    } catch (malformed) {
      return null;
    }
  }

  function many(xrm, entity, query) {
    return xrm.WebApi.retrieveMultipleRecords(entity, query).then(function (result) {
      return result.entities || [];
    });
  }

  /**
   * Everything the panel shows for one record, read in parallel. A table the organisation does not have
   * (insights not provisioned yet) reads as empty rather than failing the whole panel.
   */
  function load(xrm, ref, suggestionNew, user) {
    var table = TABLES[ref.entity];
    var columns = [table.name].concat(RELATIONSHIP, table.scored ? SCORE : []);
    if (ref.entity === "lead") {
      columns.push("companyname");
    }
    var soft = function (promise) {
      return promise.catch(function (error) {
        return { error: error };
      });
    };
    var id = quote(ref.id);
    var record = xrm.WebApi.retrieveRecord(ref.entity, ref.id, "?$select=" + columns.join(","));
    var history = table.scored ? soft(many(xrm, "osi_scorehistory",
      "?$select=osi_day,osi_score,osi_grade&$filter=osi_recordid eq " + id + "&$orderby=osi_day asc")) : null;
    var connections = table.person ? soft(many(xrm, "osi_connection",
      "?$select=osi_userid,osi_strength,osi_rank,osi_lastinteractionon,osi_lastinteractiontype,osi_emailcount," +
      "osi_meetingcount,osi_callcount&$filter=osi_personid eq " + id + "&$orderby=osi_rank asc&$top=5")) : null;
    var points = ref.entity === "contact" ? soft(many(xrm, "osi_talkingpoint",
      "?$select=osi_topic,osi_snippet,osi_mentionedon,osi_confidence,osi_sourceemailid&$filter=osi_contactid eq " + id +
      "&$orderby=osi_mentionedon desc")) : null;
    var suggestions = soft(many(xrm, "osi_notesuggestion",
      "?$select=osi_name,osi_suggestiontype,osi_suggestionstatus,osi_confidence,osi_start,osi_due,osi_payload," +
      "osi_regardingtype&$filter=osi_regardingid eq " + id + " and osi_suggestionstatus eq " + suggestionNew +
      "&$orderby=osi_start asc"));
    // Assistant cards still live, and the ones this user dismissed for themselves.
    var nowIso = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    var wkwSetting = table.person ? soft(many(xrm, "osi_setting",
      "?$select=osi_value&$filter=osi_key eq 'who_knows_whom'")) : null;
    var cards = soft(many(xrm, "osi_insight", "?$select=subject,osi_key,osi_insighttype,osi_details,osi_raisedon," +
      "osi_expireson&$filter=_regardingobjectid_value eq " + ref.id + " and osi_expireson gt " + nowIso +
      "&$orderby=osi_raisedon desc"));
    var userId = user && user.userId;
    var dismissed = userId ? soft(many(xrm, "osi_carddismissal", "?$select=osi_cardkey&$filter=osi_userid eq " +
      quote(userId) + " and contains(osi_cardkey," + quote(ref.id) + ")")) : Promise.resolve([]);
    var similar = ref.entity === "opportunity" ? soft(many(xrm, "osi_similardeal",
      "?$select=osi_similarid,osi_rank,osi_similarity,osi_details&$filter=osi_opportunityid eq " + id +
      "&$orderby=osi_rank asc&$top=5")) : null;
    return Promise.all([record, history, connections, points, suggestions, cards, dismissed, similar, wkwSetting])
      .then(function (parts) {
      var out = { record: parts[0], history: parts[1], connections: parts[2], talkingPoints: parts[3],
        suggestions: parts[4], users: {}, similar: parts[7] };
      var wkwRows = Array.isArray(parts[8]) ? parts[8] : [];
      out.wkwSettings = wkwRows.length ? parseJson(wkwRows[0].osi_value) || {} : {};
      var gone = {};
      (Array.isArray(parts[6]) ? parts[6] : []).forEach(function (row) { gone[row.osi_cardkey] = true; });
      out.cards = (Array.isArray(parts[5]) ? parts[5] : []).filter(function (c) {
        return !gone[c.osi_key] && new Date(c.osi_expireson).getTime() > Date.now();
      });
      out.healthReasons = parseJson(out.record.osi_healthreasons);
      out.analytics = parseJson(out.record.osi_analytics);
      out.scoreReasons = parseJson(out.record.osi_scorereasons);
      var userIds = Array.isArray(out.connections) ? out.connections.map(function (c) { return c.osi_userid; })
        .filter(Boolean) : [];
      if (!userIds.length) {
        return out;
      }
      var filter = userIds.map(function (u) { return "systemuserid eq " + cleanId(u); }).join(" or ");
      return soft(many(xrm, "systemuser", "?$select=fullname,firstname,internalemailaddress,title&$filter=" +
        filter)).then(function (users) {
        (Array.isArray(users) ? users : []).forEach(function (u) { out.users[cleanId(u.systemuserid)] = u; });
        return out;
      });
    });
  }

  function addMinutes(iso, minutes) {
    return new Date(new Date(iso).getTime() + minutes * 60000).toISOString().replace(".000Z", "Z");
  }

  /**
   * The activity or contact a suggestion proposes, as a createRecord call: {entity, body}.
   * Appointments get their suggested start and end (or 30 minutes, or the whole day), phone calls and
   * tasks their due date, new contacts the name, e-mail, phone and role found in the note.
   */
  function suggestionRecord(kind, payload, suggestion, ref, note) {
    payload = payload || {};
    var regarding = payload.regarding && payload.regarding.id && TABLES[payload.regarding.type] ?
      payload.regarding : { id: ref.id, type: ref.entity };
    var target = "/" + TABLES[regarding.type].set + "(" + cleanId(regarding.id) + ")";
    var subject = (payload.subject || suggestion.osi_name || "").slice(0, 200);
    var description = note;
    if (payload.participants && payload.participants.length) {
      description += "\n" + payload.participants.join(", ");
    }
    var body = { subject: subject, description: description };
    var entity;
    if (kind === "Appointment") {
      entity = "appointment";
      var start = payload.start || suggestion.osi_start;
      if (start) {
        body.scheduledstart = start;
        if (payload.all_day) {
          body.isalldayevent = true;
          body.scheduledend = addMinutes(start, 24 * 60);
        } else {
          body.scheduledend = payload.end || addMinutes(start, payload.duration_minutes || 30);
        }
      }
    } else if (kind === "Phone call") {
      entity = "phonecall";
      body.directioncode = true;
      if (payload.phone) {
        body.phonenumber = payload.phone;
      }
      if (payload.start || suggestion.osi_start) {
        body.scheduledend = payload.start || suggestion.osi_start;
      }
    } else if (kind === "New contact") {
      var name = String(payload.name || subject).trim().split(/\s+/);
      body = { lastname: name.length > 1 ? name.slice(1).join(" ") : name[0], description: note };
      if (name.length > 1) {
        body.firstname = name[0];
      }
      if (payload.email) {
        body.emailaddress1 = payload.email;
      }
      if (payload.phone) {
        body.telephone1 = payload.phone;
      }
      if (payload.role) {
        body.jobtitle = payload.role;
      }
      if (regarding.type === "account") {
        body["parentcustomerid_account@odata.bind"] = target;
      }
      return { entity: "contact", body: body };
    } else {
      // Tasks, content requests and issues all become a task to do, due when the note says.
      entity = "task";
      var dueOn = payload.due || suggestion.osi_due || payload.start;
      if (dueOn) {
        body.scheduledend = dueOn;
      }
    }
    body["regardingobjectid_" + regarding.type + "_" + entity + "@odata.bind"] = target;
    return { entity: entity, body: body };
  }

  /** Create what the suggestion proposes, then mark it accepted; resolves to {entity, id}. */
  function acceptSuggestion(xrm, suggestion, kind, ref, accepted, note) {
    var plan = suggestionRecord(kind, parseJson(suggestion.osi_payload), suggestion, ref, note);
    return xrm.WebApi.createRecord(plan.entity, plan.body).then(function (created) {
      return xrm.WebApi.updateRecord("osi_notesuggestion", suggestion.osi_notesuggestionid,
        { osi_suggestionstatus: accepted }).then(function () {
        return { entity: plan.entity, id: created.id };
      });
    });
  }

  function dismissSuggestion(xrm, suggestion, dismissed) {
    return xrm.WebApi.updateRecord("osi_notesuggestion", suggestion.osi_notesuggestionid,
      { osi_suggestionstatus: dismissed });
  }

  /** Dismiss a card for this user only: an osi_carddismissal row keyed by card and user (an upsert). */
  function dismissCard(xrm, card, userId) {
    return xrm.WebApi.createRecord("osi_carddismissal", { osi_key: card.osi_key + "|" + userId,
      osi_name: String(card.subject || card.osi_key).slice(0, 200), osi_cardkey: card.osi_key, osi_userid: userId });
  }

  /**
   * A draft introduction request from the user to the colleague, regarding the record (activity parties
   * deep-inserted: From the user, To the colleague); resolves to the new e-mail's id.
   */
  function draftIntroduction(xrm, ref, colleagueId, userId, subject, body) {
    var parties = [{ participationtypemask: 2, "partyid_systemuser@odata.bind": "/systemusers(" +
      cleanId(colleagueId) + ")" }];
    if (userId) {
      parties.push({ participationtypemask: 1, "partyid_systemuser@odata.bind": "/systemusers(" + userId + ")" });
    }
    var email = { subject: subject.slice(0, 200), description: body, directioncode: true,
      email_activity_parties: parties };
    email["regardingobjectid_" + ref.entity + "_email@odata.bind"] = "/" + TABLES[ref.entity].set + "(" + ref.id + ")";
    return xrm.WebApi.createRecord("email", email).then(function (created) { return created.id; });
  }

  /**
   * Choice labels in the user's language: table → column → English label → label in language `lcid`, from
   * the choice metadata (every installed language's label is in LocalizedLabels). The Web API metadata is read
   * with the form's own session, as web resources do; a table that cannot be read maps nothing.
   */
  function choiceLabels(xrm, tables, lcid) {
    if (Number(lcid) === 1033 || !tables.length) {
      return Promise.resolve({});
    }
    var base = xrm.Utility.getGlobalContext().getClientUrl() + "/api/data/v9.2/";
    var one = function (table) {
      var url = base + "EntityDefinitions(LogicalName='" + table + "')/Attributes/" +
        "Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)";
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json",
        "OData-MaxVersion": "4.0", "OData-Version": "4.0" } }).then(function (r) {
        return r.ok ? r.json() : { value: [] };
      }).then(function (body) {
        var out = {};
        (body.value || []).forEach(function (attr) {
          var map = {};
          ((attr.OptionSet || {}).Options || []).forEach(function (o) {
            var labels = (o.Label || {}).LocalizedLabels || [];
            var en = labels.filter(function (l) { return l.LanguageCode === 1033; })[0];
            var mine = labels.filter(function (l) { return l.LanguageCode === Number(lcid); })[0];
            if (en && mine) {
              map[en.Label] = mine.Label;
            }
          });
          out[attr.LogicalName] = map;
        });
        return out;
      }, function () { return {}; });
    };
    return Promise.all(tables.map(one)).then(function (maps) {
      var out = {};
      tables.forEach(function (table, i) { out[table] = maps[i]; });
      return out;
    });
  }

  root.OSI.data = { TABLES: TABLES, findXrm: findXrm, recordRef: recordRef, languageId: languageId, load: load,
    userContext: userContext, many: many, dismissCard: dismissCard, draftIntroduction: draftIntroduction,
    choiceLabels: choiceLabels,
    parseJson: parseJson, cleanId: cleanId, suggestionRecord: suggestionRecord,
    acceptSuggestion: acceptSuggestion, dismissSuggestion: dismissSuggestion };
})(window);
