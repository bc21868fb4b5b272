// DOM and inline-SVG helpers of the seller panel: the health gauge, the 90-day activity chart and the
// score-over-time line. No chart library and no innerHTML: every text goes in through textContent.
(function (root) {
  "use strict";
  root.OSI = root.OSI || {};
  var SVG_NS = "http://www.w3.org/2000/svg";

  /** An HTML element: h("div", {class: "x", "aria-label": "y"}, child, "text", ...). */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    setAttrs(el, attrs);
    appendAll(el, Array.prototype.slice.call(arguments, 2));
    return el;
  }

  /** An SVG element, same calling convention as h(). */
  function s(tag, attrs) {
    var el = document.createElementNS(SVG_NS, tag);
    setAttrs(el, attrs);
    appendAll(el, Array.prototype.slice.call(arguments, 2));
    return el;
  }

  function setAttrs(el, attrs) {
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      el.setAttribute(name, value === true ? "" : String(value));
    });
  }

  function appendAll(el, children) {
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) {
        return;
      }
      if (Array.isArray(child)) {
        appendAll(el, child);
      } else if (typeof child === "object") {
        el.appendChild(child);
      } else {
        el.appendChild(document.createTextNode(String(child)));
      }
    });
  }

  /** A semicircle gauge of a 0–100 value; `tone` is a CSS class (good, fair, poor, none). */
  function gauge(value, tone, label) {
    var r = 40;
    var cx = 50;
    var cy = 50;
    var v = Math.max(0, Math.min(100, Number(value) || 0));
    var angle = Math.PI * (1 - v / 100);
    var x = cx + r * Math.cos(angle);
    var y = cy - r * Math.sin(angle);
    var track = "M " + (cx - r) + " " + cy + " A " + r + " " + r + " 0 0 1 " + (cx + r) + " " + cy;
    var arc = "M " + (cx - r) + " " + cy + " A " + r + " " + r + " 0 0 1 " + x.toFixed(2) + " " + y.toFixed(2);
    return s("svg", { "class": "gauge " + tone, viewBox: "0 0 100 58", role: "img", "aria-label": label },
      s("path", { "class": "gauge-track", d: track }),
      v > 0 ? s("path", { "class": "gauge-value", d: arc }) : null,
      s("text", { x: cx, y: cy - 4, "class": "gauge-number", "text-anchor": "middle" },
        value === null || value === undefined ? "–" : String(Math.round(v))));
  }

  var TEAM_SERIES = ["emails_sent", "meetings_sent", "calls_made"];
  var CUSTOMER_SERIES = ["emails_received", "meetings_received", "calls_received"];

  /** The days of the window ending on `lastDay` ("YYYY-MM-DD"), oldest first. */
  function windowDays(lastDay, count) {
    var end = new Date(lastDay + "T00:00:00Z");
    var days = [];
    for (var i = count - 1; i >= 0; i--) {
      days.push(new Date(end.getTime() - i * 86400000).toISOString().slice(0, 10));
    }
    return days;
  }

  /**
   * The 90-day chart: one column per day, our team's activity stacked above the axis and the customer's
   * below it, by type. Returns {svg, totals} where totals maps each series to its 90-day count.
   */
  function activityChart(daily, lastDay, labels, title, formatDay) {
    var days = windowDays(lastDay, 90);
    var width = 540;
    var height = 170;
    var left = 26;
    var right = 6;
    var top = 8;
    var bottom = 20;
    var totals = {};
    var maxUp = 1;
    var maxDown = 1;
    TEAM_SERIES.concat(CUSTOMER_SERIES).forEach(function (name) { totals[name] = 0; });
    days.forEach(function (day) {
      var counts = daily[day] || {};
      var up = 0;
      var down = 0;
      TEAM_SERIES.forEach(function (n) { up += counts[n] || 0; totals[n] += counts[n] || 0; });
      CUSTOMER_SERIES.forEach(function (n) { down += counts[n] || 0; totals[n] += counts[n] || 0; });
      maxUp = Math.max(maxUp, up);
      maxDown = Math.max(maxDown, down);
    });
    var plot = height - top - bottom;
    var scale = plot / (maxUp + maxDown);
    var axisY = top + maxUp * scale;
    var step = (width - left - right) / days.length;
    var barWidth = Math.max(1, step - 1.2);
    var svg = s("svg", { "class": "activity-chart", viewBox: "0 0 " + width + " " + height, role: "img",
      "aria-label": title });
    svg.appendChild(s("line", { "class": "axis", x1: left, x2: width - right, y1: axisY, y2: axisY }));
    svg.appendChild(s("text", { "class": "axis-label", x: left - 4, y: top + 8, "text-anchor": "end" },
      String(maxUp)));
    svg.appendChild(s("text", { "class": "axis-label", x: left - 4, y: height - bottom, "text-anchor": "end" },
      String(maxDown)));
    days.forEach(function (day, i) {
      var counts = daily[day] || {};
      var x = left + i * step;
      var y = axisY;
      TEAM_SERIES.forEach(function (name) {
        var n = counts[name] || 0;
        if (n > 0) {
          y -= n * scale;
          svg.appendChild(s("rect", { "class": "bar s-" + name, x: x.toFixed(2), y: y.toFixed(2),
            width: barWidth.toFixed(2), height: (n * scale).toFixed(2), "data-series": name, "data-day": day },
            s("title", {}, formatDay(day) + " · " + labels[name] + ": " + n)));
        }
      });
      y = axisY;
      CUSTOMER_SERIES.forEach(function (name) {
        var n = counts[name] || 0;
        if (n > 0) {
          svg.appendChild(s("rect", { "class": "bar s-" + name, x: x.toFixed(2), y: y.toFixed(2),
            width: barWidth.toFixed(2), height: (n * scale).toFixed(2), "data-series": name, "data-day": day },
            s("title", {}, formatDay(day) + " · " + labels[name] + ": " + n)));
          y += n * scale;
        }
      });
      if (i % 30 === 0) {
        svg.appendChild(s("text", { "class": "axis-label", x: x.toFixed(2), y: height - 5 }, formatDay(day)));
      }
    });
    svg.appendChild(s("text", { "class": "axis-label", x: width - right, y: height - 5, "text-anchor": "end" },
      formatDay(days[days.length - 1])));
    return { svg: svg, totals: totals };
  }

  /** Score over time: a line of the 0–100 scores per day with a dot per point. */
  function scoreLine(points, label, formatDay) {
    var width = 540;
    var height = 110;
    var left = 26;
    var right = 8;
    var top = 8;
    var bottom = 18;
    var n = points.length;
    var x = function (i) { return left + (n === 1 ? 0 : i * (width - left - right) / (n - 1)); };
    var y = function (v) { return top + (100 - v) * (height - top - bottom) / 100; };
    var svg = s("svg", { "class": "score-line", viewBox: "0 0 " + width + " " + height, role: "img",
      "aria-label": label });
    [0, 50, 100].forEach(function (v) {
      svg.appendChild(s("line", { "class": "grid", x1: left, x2: width - right, y1: y(v), y2: y(v) }));
      svg.appendChild(s("text", { "class": "axis-label", x: left - 4, y: y(v) + 3, "text-anchor": "end" },
        String(v)));
    });
    var d = points.map(function (p, i) {
      return (i ? "L " : "M ") + x(i).toFixed(2) + " " + y(p.score).toFixed(2);
    }).join(" ");
    svg.appendChild(s("path", { "class": "line", d: d }));
    points.forEach(function (p, i) {
      svg.appendChild(s("circle", { "class": "dot", cx: x(i).toFixed(2), cy: y(p.score).toFixed(2), r: 2.6 },
        s("title", {}, formatDay(p.day) + ": " + p.score)));
    });
    svg.appendChild(s("text", { "class": "axis-label", x: left, y: height - 3 }, formatDay(points[0].day)));
    svg.appendChild(s("text", { "class": "axis-label", x: width - right, y: height - 3, "text-anchor": "end" },
      formatDay(points[n - 1].day)));
    return svg;
  }

  root.OSI.dom = { h: h, s: s };
  root.OSI.charts = { gauge: gauge, activityChart: activityChart, scoreLine: scoreLine,
                      TEAM_SERIES: TEAM_SERIES, CUSTOMER_SERIES: CUSTOMER_SERIES };
})(window);
