/* detente: draws the plotly figures embedded in the page and runs the report's filters.
   Data comes from <script type="application/json" id="detente-data">; it is only ever put in
   the page through textContent or plotly, never as HTML. */
(function () {
  "use strict";

  var CONFIG = { displaylogo: false, responsive: true, showLink: false, showSendToCloud: false,
                 showEditInChartStudio: false };
  var node = document.getElementById("detente-data");
  var DATA = node ? JSON.parse(node.textContent) : {};
  var MODE = document.body.getAttribute("data-mode");
  var figures = DATA.figures || {};

  function draw(id, fig) {
    var el = document.getElementById(id);
    if (!el || !fig || typeof Plotly === "undefined") { return null; }
    Plotly.newPlot(el, fig.data, fig.layout, CONFIG);
    return el;
  }

  function openEvent(id) {
    if (MODE !== "report") {
      window.location.href = "/events/" + encodeURIComponent(id);
      return;
    }
    var detail = document.getElementById("detail-" + id);
    var row = document.getElementById("ev-" + id);
    if (!detail || !row) { return; }
    detail.hidden = !detail.hidden || row.hidden;
    row.classList.toggle("open", !detail.hidden);
    if (!detail.hidden) { detail.scrollIntoView({ block: "center" }); }
  }

  var timeline = draw("timeline-chart", figures.timeline);
  if (timeline && timeline.on) {
    timeline.on("plotly_click", function (ev) {
      if (ev && ev.points && ev.points.length) { openEvent(String(ev.points[0].customdata)); }
    });
  }
  draw("network-chart", figures.network);

  // dyads: the app reloads the page with the chosen pair; the report swaps embedded figures
  var dyadSelect = document.getElementById("dyad-select");
  if (MODE === "report" && dyadSelect && DATA.dyads) {
    var showDyad = function () { draw("dyad-chart", DATA.dyads[dyadSelect.value]); };
    dyadSelect.addEventListener("change", showDyad);
    showDyad();
  } else {
    draw("dyad-chart", figures.dyad);
    if (dyadSelect && dyadSelect.form) {
      dyadSelect.addEventListener("change", function () { dyadSelect.form.submit(); });
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("button.open-event"), function (btn) {
    btn.addEventListener("click", function () { openEvent(btn.getAttribute("data-id")); });
  });

  // the report's filters: client-side over the embedded events
  var form = document.getElementById("report-filters");
  if (!form || !DATA.events) { return; }
  var field = function (id) { return document.getElementById(id); };

  function matches(ev, f) {
    if (f.actor) {
      var codes = ev.actor_codes.concat(ev.recipient_codes, ev.mediator_codes);
      if (codes.indexOf(f.actor) < 0) { return false; }
    }
    if (f.type && ev.event !== f.type) { return false; }
    if (f.since && !(ev.date_last && ev.date_last >= f.since)) { return false; }
    if (f.until && !(ev.date_first && ev.date_first <= f.until)) { return false; }
    return true;
  }

  function applyFilters() {
    var f = { actor: field("f-actor").value, type: field("f-type").value,
              since: field("f-since").value, until: field("f-until").value };
    var keep = {};
    var shown = 0;
    DATA.events.forEach(function (ev) {
      if (matches(ev, f)) { keep[ev.id] = true; shown += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll("#event-table tr.event-row"),
      function (row) {
        row.hidden = !keep[row.getAttribute("data-id")];
        var detail = document.getElementById("detail-" + row.getAttribute("data-id"));
        if (detail && row.hidden) { detail.hidden = true; row.classList.remove("open"); }
      });
    field("f-count").textContent = shown + " of " + DATA.events.length + " events shown";
    if (timeline && figures.timeline) {
      var data = figures.timeline.data.map(function (trace) {
        var t = Object.assign({}, trace, { x: [], y: [], customdata: [], text: [] });
        (trace.customdata || []).forEach(function (id, i) {
          if (keep[id]) {
            t.x.push(trace.x[i]); t.y.push(trace.y[i]);
            t.customdata.push(id); t.text.push(trace.text[i]);
          }
        });
        return t;
      });
      Plotly.react(timeline, data, figures.timeline.layout, CONFIG);
    }
  }

  ["f-actor", "f-type", "f-since", "f-until"].forEach(function (id) {
    field(id).addEventListener("change", applyFilters);
    field(id).addEventListener("input", applyFilters);
  });
  field("f-reset").addEventListener("click", function () {
    ["f-actor", "f-type", "f-since", "f-until"].forEach(function (id) { field(id).value = ""; });
    applyFilters();
  });
  applyFilters();
}());
