// The admin page's settings forms, generated from each feature's JSON schema (settings_schemas.js, written
// from REGISTRY.schemas() by `python -m connector solution generate`), and their validation: the same types,
// ranges, enums, lengths and required fields the sync's parser applies, so a value the sync would refuse is
// refused here, with a message naming the field. A small validator of the JSON-schema subset pydantic emits
// is written out here because the page runs under a policy with no eval and no build step.
(function (root) {
  "use strict";
  var OSI = root.OSI;
  var h = OSI.dom.h;

  function resolve(schema, defs) {
    if (schema && schema.$ref) {
      return defs[schema.$ref.replace("#/$defs/", "")] || {};
    }
    return schema || {};
  }

  /** The non-null alternative of an `anyOf: [X, {type: null}]` (nullable field), and whether null is allowed. */
  function unwrap(schema, defs) {
    var s = resolve(schema, defs);
    if (Array.isArray(s.anyOf)) {
      var others = s.anyOf.filter(function (a) { return a.type !== "null"; });
      var nullable = others.length < s.anyOf.length;
      if (others.length === 1) {
        var inner = resolve(others[0], defs);
        return { schema: Object.assign({}, inner, { title: s.title || inner.title,
          description: s.description || inner.description }), nullable: nullable };
      }
      return { schema: s, nullable: nullable };
    }
    return { schema: s, nullable: false };
  }

  function typeOf(value) {
    if (value === null) {
      return "null";
    }
    if (Array.isArray(value)) {
      return "array";
    }
    if (typeof value === "number") {
      return Number.isInteger(value) ? "integer" : "number";
    }
    return typeof value;
  }

  function typeMatches(expected, value) {
    var actual = typeOf(value);
    return expected === actual || (expected === "number" && actual === "integer");
  }

  /** Problems of `value` against `schema`: [{path, key, values}] with catalogue keys under admin.invalid. */
  function validate(schema, value, defs, path, out) {
    var s = resolve(schema, defs);
    out = out || [];
    if (Array.isArray(s.anyOf)) {
      var fits = s.anyOf.some(function (alt) { return validate(alt, value, defs, path, []).length === 0; });
      if (!fits) {
        var first = s.anyOf.filter(function (a) { return a.type !== "null"; })[0];
        validate(first, value, defs, path, out);
        if (!out.length) {
          out.push({ path: path, key: "admin.invalid.type", values: { type: "?" } });
        }
      }
      return out;
    }
    if (s.type && !typeMatches(s.type, value)) {
      out.push({ path: path, key: "admin.invalid.type", values: { type: s.type } });
      return out;
    }
    if (s["enum"] && s["enum"].indexOf(value) < 0) {
      out.push({ path: path, key: "admin.invalid.enum", values: { choices: s["enum"].join(", ") } });
    }
    if (typeof value === "number") {
      if (s.minimum !== undefined && value < s.minimum) {
        out.push({ path: path, key: "admin.invalid.min", values: { min: s.minimum } });
      }
      if (s.maximum !== undefined && value > s.maximum) {
        out.push({ path: path, key: "admin.invalid.max", values: { max: s.maximum } });
      }
    }
    if (typeof value === "string") {
      if (s.minLength !== undefined && value.length < s.minLength) {
        out.push({ path: path, key: "admin.invalid.minLength", values: { n: s.minLength } });
      }
      if (s.maxLength !== undefined && value.length > s.maxLength) {
        out.push({ path: path, key: "admin.invalid.maxLength", values: { n: s.maxLength } });
      }
    }
    if (Array.isArray(value)) {
      if (s.minItems !== undefined && value.length < s.minItems) {
        out.push({ path: path, key: "admin.invalid.minItems", values: { n: s.minItems } });
      }
      value.forEach(function (item, i) { validate(s.items, item, defs, path + "[" + i + "]", out); });
    }
    if (typeOf(value) === "object") {
      (s.required || []).forEach(function (name) {
        if (!(name in value)) {
          out.push({ path: path + "." + name, key: "admin.invalid.required", values: {} });
        }
      });
      Object.keys(value).forEach(function (name) {
        var sub = (s.properties || {})[name];
        if (sub) {
          validate(sub, value[name], defs, path + "." + name, out);
        } else if (s.additionalProperties === false) {
          out.push({ path: path + "." + name, key: "admin.invalid.unknown", values: {} });
        }
      });
    }
    return out;
  }

  // --- the form --------------------------------------------------------------------------------------

  function fieldId(path) {
    return "f-" + path.replace(/[^A-Za-z0-9_-]/g, "-");
  }

  /**
   * One field for one property: a checkbox, a number or text box, a choice list, check boxes for a list of
   * choices, one line per item for a list of texts, a group for a nested object, JSON for anything else.
   * Returns {element, read} where read() gives the typed value (or a {raw} marker the validator refuses).
   */
  function field(t, path, label, schema, defs, value) {
    var u = unwrap(schema, defs);
    var s = u.schema;
    var id = fieldId(path);
    var help = s.description ? h("p", { "class": "muted small", id: id + "-help" }, s.description) : null;
    var describe = s.description ? id + "-help" : null;
    var wrap = function (control, inline) {
      return h("div", { "class": "field" + (inline ? " inline" : ""), "data-field": path },
        h("label", { "for": id }, label), control, help);
    };
    if (s.type === "boolean") {
      var box = h("input", { type: "checkbox", id: id, "aria-describedby": describe });
      box.checked = value === true;
      return { element: wrap(box, true), read: function () { return box.checked; } };
    }
    if (s.type === "integer" || s.type === "number") {
      var num = h("input", { type: "text", inputmode: s.type === "integer" ? "numeric" : "decimal", id: id,
        "aria-describedby": describe });
      num.value = value === null || value === undefined ? "" : String(value);
      return { element: wrap(num), read: function () {
        var text = num.value.trim().replace(",", ".");
        if (text === "" && u.nullable) {
          return null;
        }
        return text !== "" && isFinite(Number(text)) ? Number(text) : text;
      } };
    }
    if (s.type === "string" && s["enum"]) {
      var select = h("select", { id: id, "aria-describedby": describe }, s["enum"].map(function (v) {
        return h("option", { value: v }, v);
      }));
      select.value = value;
      return { element: wrap(select), read: function () { return select.value; } };
    }
    if (s.type === "string") {
      var long = !s.maxLength || s.maxLength > 200;
      var text = h(long ? "textarea" : "input", long ? { id: id, rows: "6", "aria-describedby": describe } :
        { type: "text", id: id, "aria-describedby": describe });
      text.value = value === null || value === undefined ? "" : String(value);
      return { element: wrap(text), read: function () {
        return text.value === "" && u.nullable ? null : text.value;
      } };
    }
    var items = resolve(s.items, defs);
    if (s.type === "array" && items["enum"]) {
      var chosen = Array.isArray(value) ? value : [];
      var boxes = items["enum"].map(function (v) {
        var b = h("input", { type: "checkbox", id: id + "-" + v, value: v });
        b.checked = chosen.indexOf(v) >= 0;
        return b;
      });
      var group = h("fieldset", { "class": "field choices", "data-field": path }, h("legend", {}, label),
        boxes.map(function (b) { return h("label", { "class": "choice" }, b, " " + b.value); }), help);
      return { element: group, read: function () {
        var picked = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
        return !picked.length && u.nullable && value === null ? null : picked;
      } };
    }
    if (s.type === "array" && items.type === "string") {
      var lines = h("textarea", { id: id, rows: "3", "aria-describedby": describe });
      lines.value = Array.isArray(value) ? value.join("\n") : "";
      return { element: wrap(lines), read: function () {
        return lines.value.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
      } };
    }
    if (s.type === "object" && s.properties) {
      var inner = objectFields(t, path, s, defs, value || {});
      return { element: h("fieldset", { "class": "field group", "data-field": path }, h("legend", {}, label), help,
        inner.elements), read: inner.read };
    }
    var json = h("textarea", { id: id, rows: "5", spellcheck: "false", "class": "json", "aria-describedby": describe });
    json.value = JSON.stringify(value === undefined ? null : value, null, 1);
    return { element: wrap(json), read: function () {
      try {
        return JSON.parse(json.value);
      } catch (bad) {
        return { __invalidJson: bad.message };
      }
    } };
  }

  function objectFields(t, path, schema, defs, value) {
    var reads = {};
    var elements = Object.keys(schema.properties).map(function (name) {
      var sub = schema.properties[name];
      var made = field(t, path + "." + name, resolve(sub, defs).title || sub.title || name, sub, defs, value[name]);
      reads[name] = made.read;
      return made.element;
    });
    return { elements: elements, read: function () {
      var out = {};
      Object.keys(reads).forEach(function (name) { out[name] = reads[name](); });
      return out;
    } };
  }

  /** The first JSON syntax problem in a read value (a JSON field that does not parse), as a problem. */
  function syntax(value, path) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      if (value.__invalidJson) {
        return { path: path, key: "admin.invalid.json", values: { message: value.__invalidJson } };
      }
      var keys = Object.keys(value);
      for (var i = 0; i < keys.length; i++) {
        var found = syntax(value[keys[i]], path + "." + keys[i]);
        if (found) {
          return found;
        }
      }
    }
    return null;
  }

  /**
   * A feature's form: {element, read(), problems(value)} for setting `name` with its stored `value` (defaults
   * fill what is missing; keys the schema does not know are kept as they are).
   */
  function settingsForm(t, name, schema, stored, defaults) {
    var defs = schema.$defs || {};
    var value = Object.assign({}, defaults || {}, stored || {});
    var fields = objectFields(t, name, schema, defs, value);
    return {
      elements: fields.elements,
      read: function () {
        var out = fields.read();
        Object.keys(stored || {}).forEach(function (k) {
          if (!(k in out)) {
            out[k] = stored[k];
          }
        });
        return out;
      },
      problems: function (read) {
        var bad = syntax(read, name);
        return bad ? [bad] : validate(schema, read, defs, name, []);
      }
    };
  }

  OSI.settingsForm = { settingsForm: settingsForm, validate: validate };
})(window);
