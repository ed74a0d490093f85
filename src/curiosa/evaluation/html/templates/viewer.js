(function () {
  "use strict";
  var LIST_LIMIT = 500;
  var episodes = JSON.parse(document.getElementById("episode-data").textContent).episodes;
  var byId = function (id) { return document.getElementById(id); };
  var el = function (tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  };
  function fill(select, values) {
    values.forEach(function (v) { var o = el("option", null, v); o.value = v; select.appendChild(o); });
  }
  function unique(key) {
    var seen = {}; episodes.forEach(function (e) { seen[e[key]] = true; }); return Object.keys(seen).sort();
  }
  fill(byId("f-model"), unique("model"));
  fill(byId("f-group"), unique("group"));
  function matches(e) {
    var model = byId("f-model").value, group = byId("f-group").value, outcome = byId("f-outcome").value;
    var task = byId("f-task").value.trim().toLowerCase();
    return (!model || e.model === model) && (!group || e.group === group) &&
      (!outcome || (outcome === "success") === e.success) &&
      (!task || e.task.toLowerCase().indexOf(task) !== -1);
  }
  function show(e, button) {
    var active = document.querySelectorAll(".episode-list button.active");
    Array.prototype.forEach.call(active, function (b) { b.classList.remove("active"); });
    button.classList.add("active");
    var detail = byId("episode-detail");
    detail.textContent = "";
    detail.appendChild(el("h3", null, e.id + " (" + e.model + ")"));
    var meta = el("div", "episode-meta");
    meta.appendChild(el("span", e.success ? "ok" : "fail", e.success ? "success" : "failure"));
    meta.appendChild(document.createTextNode(" | group " + e.group + " | task " + e.task + " | turns " + e.turns +
      " | stop reason " + e.stop + " | invalid actions " + e.invalid + " | resampled replies " + e.format_errors +
      " | score " + e.score + " | seed " + e.seed));
    detail.appendChild(meta);
    e.messages.forEach(function (m) {
      var role = m[0] === "assistant" || m[0] === "system" ? m[0] : "user";
      var box = el("div", "msg " + role);
      box.appendChild(el("span", "role", m[0] === "assistant" ? "agent" : m[0] === "user" ? "environment" : m[0]));
      box.appendChild(document.createTextNode(m[1]));
      detail.appendChild(box);
    });
  }
  function render() {
    var list = byId("episode-list");
    list.textContent = "";
    var hits = episodes.filter(matches);
    hits.slice(0, LIST_LIMIT).forEach(function (e) {
      var b = el("button");
      b.type = "button";
      b.appendChild(el("span", e.success ? "ok" : "fail", e.success ? "\u2713 " : "\u2717 "));
      b.appendChild(document.createTextNode(e.model + " \u00b7 " + e.id + " \u00b7 " + e.turns + " turns"));
      b.addEventListener("click", function () { show(e, b); });
      list.appendChild(b);
    });
    byId("f-count").textContent = hits.length + " episodes" +
      (hits.length > LIST_LIMIT ? " (listing the first " + LIST_LIMIT + ")" : "");
  }
  ["f-model", "f-group", "f-outcome"].forEach(function (id) { byId(id).addEventListener("change", render); });
  byId("f-task").addEventListener("input", render);
  render();
})();
