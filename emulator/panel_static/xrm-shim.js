// The demo's stand-in for the Dynamics client API: the subset of Xrm the seller panel and the admin page
// use. It only forwards to the Web API (proxied by emulator/panel_host.py, which adds the token server-side)
// and shows, instead of opening, the forms Xrm.Navigation.openForm would open.
(function (root) {
  "use strict";
  var config = JSON.parse(document.getElementById("osi-host-config").textContent);
  var base = config.apiBase;
  var setNames = {};
  root.__osiOpenedForms = [];

  function request(method, path, body) {
    var headers = { "Accept": "application/json", "OData-MaxVersion": "4.0", "OData-Version": "4.0",
      "Prefer": "odata.include-annotations=\"*\"" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json; charset=utf-8";
    }
    // The browser session is the signed-in user's: here the demo user is impersonated (Dataverse's header).
    if (config.userId) {
      headers.MSCRMCallerID = config.userId;
    }
    return fetch(base + path, { method: method, headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) }).then(function (response) {
      if (response.status === 204) {
        return { response: response, json: null };
      }
      return response.text().then(function (text) {
        var json = text ? JSON.parse(text) : null;
        if (!response.ok) {
          var err = new Error(json && json.error ? json.error.message : "HTTP " + response.status);
          err.errorCode = json && json.error ? json.error.code : response.status;
          throw err;
        }
        return { response: response, json: json };
      });
    });
  }

  function entitySet(logicalName) {
    if (!setNames[logicalName]) {
      setNames[logicalName] = request("GET", "EntityDefinitions(LogicalName='" + encodeURIComponent(logicalName) +
        "')?$select=EntitySetName").then(function (r) { return r.json.EntitySetName; });
    }
    return setNames[logicalName];
  }

  function options(text) {
    if (!text) {
      return "";
    }
    return text.charAt(0) === "?" ? text : "?" + text;
  }

  function bare(id) {
    return String(id).replace(/[{}]/g, "");
  }

  var WebApi = {
    retrieveRecord: function (entity, id, query) {
      return entitySet(entity).then(function (set) {
        return request("GET", set + "(" + bare(id) + ")" + options(query));
      }).then(function (r) { return r.json; });
    },
    retrieveMultipleRecords: function (entity, query) {
      if (query && query.indexOf("http") === 0) {
        return request("GET", query.slice(query.indexOf(base) + base.length)).then(function (r) {
          return { entities: r.json.value, nextLink: r.json["@odata.nextLink"] };
        });
      }
      return entitySet(entity).then(function (set) {
        return request("GET", set + options(query));
      }).then(function (r) {
        return { entities: r.json.value, nextLink: r.json["@odata.nextLink"] };
      });
    },
    createRecord: function (entity, data) {
      return entitySet(entity).then(function (set) {
        return request("POST", set, data);
      }).then(function (r) {
        var header = r.response.headers.get("OData-EntityId") || "";
        var match = /\(([0-9a-fA-F-]{36})\)\s*$/.exec(header);
        return { entityType: entity, id: match ? match[1] : null };
      });
    },
    updateRecord: function (entity, id, data) {
      return entitySet(entity).then(function (set) {
        return request("PATCH", set + "(" + bare(id) + ")", data);
      }).then(function () { return { entityType: entity, id: bare(id) }; });
    }
  };

  function openForm(entityFormOptions, formParameters) {
    var opened = { options: entityFormOptions || {}, parameters: formParameters || {} };
    root.__osiOpenedForms.push(opened);
    var dialog = document.getElementById("osi-openform");
    var body = dialog.querySelector("pre");
    var what = opened.options.entityId ? "Open " + opened.options.entityName + " " + opened.options.entityId :
      "New " + opened.options.entityName + " form, prefilled with:";
    body.textContent = what + "\n\n" + JSON.stringify(opened.parameters, null, 2);
    dialog.hidden = false;
    dialog.querySelector("button").focus();
    return Promise.resolve({ savedEntityReference: [] });
  }

  // A form section grows with its web resource; here the iframe follows the panel's height.
  function fitFrames() {
    Array.prototype.forEach.call(document.querySelectorAll("iframe[data-fit]"), function (frame) {
      try {
        var height = frame.contentDocument.documentElement.scrollHeight;
        if (height && String(height) + "px" !== frame.style.height) {
          frame.style.height = height + "px";
        }
      } catch (notReady) {
        // The frame is still loading.
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setInterval(fitFrames, 250);
    var dialog = document.getElementById("osi-openform");
    dialog.querySelector("button").addEventListener("click", function () { dialog.hidden = true; });
  });

  root.Xrm = {
    WebApi: WebApi,
    Navigation: { openForm: openForm },
    Utility: {
      getGlobalContext: function () {
        return { userSettings: { languageId: config.languageId, userName: config.userName,
          userId: config.userId ? "{" + config.userId.toUpperCase() + "}" : "",
          getTimeZoneOffsetMinutes: function () { return config.timeZoneOffsetMinutes || 0; } },
          getClientUrl: function () { return root.location.origin; } };
      }
    }
  };
})(window);
