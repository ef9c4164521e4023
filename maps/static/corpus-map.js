/* sitmap corpus map: merged events (clustered), places mentioned (clustered), an optional heatmap of
   point-located events, and a date-range filter. Part of sitmap; article text only ever reaches the page
   through textContent, never as HTML. */
function sitmapCorpus(map, data) {
  "use strict";
  var DAY = 86400000;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function line(parent, label, value) {
    if (value === undefined || value === null || value === "") { return; }
    var d = el("div", "sc-line");
    d.appendChild(el("b", null, label + ": "));
    d.appendChild(document.createTextNode(String(value)));
    parent.appendChild(d);
  }
  function day(iso) { return iso ? Date.parse(iso + "T00:00:00Z") : null; }
  function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }
  function style(type) { return data.styles[type] || data.styles._default; }
  function when(e) {
    if (!e.start) { return "undated"; }
    return e.start === e.end ? e.start : e.start + " – " + e.end;
  }
  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }

  function eventPopup(e, place) {
    var box = el("div", "sc-pop");
    var head = el("div", "sc-head");
    var chip = el("span", "sitmap-chip", style(e.type).symbol);
    chip.style.background = style(e.type).color;
    chip.style.color = "#fff";
    head.appendChild(chip);
    head.appendChild(el("span", null, e.type + " · " + data.claims[e.claim]));
    box.appendChild(head);
    line(box, "Who", e.actors.join(", ") || "not named");
    line(box, "Against / to", e.recipients.join(", "));
    line(box, "Weapon", e.weapons.join(", "));
    line(box, "Quantity", e.quantities.join(", "));
    line(box, "When", when(e));
    var where = place.name + " (" + (place.precision || "place") + (place.role ? ", " + place.role : "") + ")";
    line(box, "Where", where);
    if (place.area) {
      box.appendChild(el("div", "sc-note", "Located only to the " + (place.precision || "area") +
        ": drawn at its centre, not at a specific site."));
    }
    var others = e.places.filter(function (p) { return p !== place; }).map(function (p) { return p.name; });
    line(box, "Also at", others.join(", "));
    var n = e.sources.length;
    box.appendChild(el("div", "sc-sub", "Reported in " + e.documents + (e.documents === 1 ? " document" :
      " documents") + (n !== e.documents ? " (" + n + " reports)" : "") + ":"));
    var list = el("ol", "sc-sources");
    e.sources.forEach(function (s) {
      var li = el("li");
      var meta = el("div", "sc-meta");
      if (s.date) { meta.appendChild(el("span", "sc-date", s.date + " ")); }
      var url = safeUrl(s.url);
      var name = s.title || s.doc;
      if (url) {
        var a = el("a", null, name);
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        meta.appendChild(a);
      } else {
        meta.appendChild(el("span", "sc-doc", name));
      }
      meta.appendChild(el("span", "sc-fact", " · " + s.factuality + (s.speaker ? " (" + s.speaker + ")" : "")));
      li.appendChild(meta);
      if (s.sentence) { li.appendChild(el("q", "sc-sent", s.sentence)); }
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  function placePopup(p) {
    var box = el("div", "sc-pop");
    box.appendChild(el("div", "sc-head", p.name));
    line(box, "Kind", p.feature + (p.cc ? " · " + p.cc : ""));
    line(box, "Mentions", p.mentions + " in " + p.docs + (p.docs === 1 ? " document" : " documents"));
    if (p.area) { box.appendChild(el("div", "sc-note", "An area: drawn at its centre.")); }
    if (p.example) { box.appendChild(el("q", "sc-sent", p.example)); }
    return box;
  }

  function badge(e, place) {
    var s = style(e.type);
    var cls = "sc-badge" + (place.area ? " area" : "") + (e.claim !== "happened" ? " unsure" : "");
    var html = "<div class='" + cls + "' style='--c:" + s.color + "'>" + s.symbol +
      (e.documents > 1 ? "<sup>" + Number(e.documents) + "</sup>" : "") + "</div>";
    return L.divIcon({html: html, className: "sc-icon", iconSize: [22, 22], iconAnchor: [11, 11]});
  }

  // marker clustering needs a highest zoom; the offline basemap (1:50m) holds detail to about zoom 10
  if (map.getMaxZoom() === Infinity) { map.setMaxZoom(12); }
  var items = [];     // events at points: one clustered badge per event and place
  var areaItems = {};  // events located only to an area: grouped per area, one mark each
  data.events.forEach(function (e) {
    e.t0 = day(e.start);
    e.t1 = day(e.end);
    e.places.forEach(function (p) {
      if (p.area) {
        var key = p.name + "|" + p.lat + "|" + p.lon;
        (areaItems[key] = areaItems[key] || {place: p, events: []}).events.push(e);
        return;
      }
      var m = L.marker([p.lat, p.lon], {icon: badge(e, p), title: e.type + " at " + p.name, sitmapType: e.type});
      m.bindPopup(function () { return eventPopup(e, p); }, {maxWidth: 380});
      items.push({event: e, place: p, marker: m});
    });
  });
  areaItems = Object.keys(areaItems).map(function (k) { return areaItems[k]; });

  function areaPopup(a, shown) {
    var box = el("div", "sc-pop");
    box.appendChild(el("div", "sc-head", a.place.name + ": " + shown.length +
      (shown.length === 1 ? " event" : " events") + " located only to this " + (a.place.precision || "area")));
    box.appendChild(el("div", "sc-note", "Drawn at the area's centre, not at a specific site."));
    shown.forEach(function (e) {
      var d = el("details", "sc-area-event");
      var sum = el("summary");
      var chip = el("span", "sitmap-chip", style(e.type).symbol);
      chip.style.background = style(e.type).color;
      chip.style.color = "#fff";
      sum.appendChild(chip);
      sum.appendChild(document.createTextNode(e.type + " · " + (e.actors.join(", ") || "no actor") + " · " +
        when(e) + " · " + e.documents + (e.documents === 1 ? " doc" : " docs")));
      d.appendChild(sum);
      d.appendChild(eventPopup(e, a.place));
      box.appendChild(d);
    });
    return box;
  }
  function areaMark(a, shown) {
    var n = shown.length;
    var html = "<div class='sc-area'><b>" + n + "</b></div>";
    var m = L.marker([a.place.lat, a.place.lon], {
      icon: L.divIcon({html: html, className: "sc-icon", iconSize: [30, 30], iconAnchor: [15, 15]}),
      title: a.place.name + ": " + n + " area-level events", zIndexOffset: -100
    });
    m.bindTooltip(a.place.name, {permanent: true, direction: "right", offset: [14, 0], className: "sc-label area"});
    m.bindPopup(function () { return areaPopup(a, shown); }, {maxWidth: 400});
    return m;
  }
  var clusterOptions = {maxClusterRadius: 40, showCoverageOnHover: false, spiderfyOnMaxZoom: true};
  // an event cluster takes the colour of its most frequent event type
  var events = L.markerClusterGroup(L.extend({}, clusterOptions, {
    iconCreateFunction: function (c) {
      var counts = {}, best = null;
      c.getAllChildMarkers().forEach(function (m) {
        var t = m.options.sitmapType;
        counts[t] = (counts[t] || 0) + 1;
        if (best === null || counts[t] > counts[best]) { best = t; }
      });
      var n = Number(c.getChildCount());
      var size = n < 10 ? 30 : n < 100 ? 36 : 42;
      return L.divIcon({html: "<div class='sc-cluster' style='--c:" + style(best).color + "'>" + n + "</div>",
        className: "sc-icon", iconSize: L.point(size, size)});
    }
  }));
  var areas = L.layerGroup();
  map.createPane("sitmapPlaces").style.zIndex = 450;  // between shapes (400) and event marks (600)
  var places = L.markerClusterGroup(L.extend({}, clusterOptions, {
    clusterPane: "sitmapPlaces",
    iconCreateFunction: function (c) {
      return L.divIcon({html: "<div class='sc-pcluster'>" + Number(c.getChildCount()) + "</div>",
        className: "sc-icon", iconSize: L.point(26, 26)});
    }
  }));
  data.places.forEach(function (p) {
    var m = L.circleMarker([p.lat, p.lon], {
      pane: "sitmapPlaces", radius: Math.min(4 + 2 * Math.sqrt(p.mentions), 14), color: "#1f4e79", weight: 1.5,
      fillColor: p.area ? "#ffffff" : "#1f4e79", fillOpacity: p.area ? 0.6 : 0.45,
      dashArray: p.area ? "3 3" : null
    });
    // a permanent label (the offline basemap names no places; clustered markers hide theirs), unless an
    // area mark at the same spot already names it
    var named = areaItems.some(function (a) { return a.place.lat === p.lat && a.place.lon === p.lon; });
    m.bindTooltip(p.name, named ? {direction: "top"} :
      {permanent: true, direction: "right", offset: [6, 0], className: "sc-label"});
    m.bindPopup(function () { return placePopup(p); }, {maxWidth: 340});
    places.addLayer(m);
  });
  var heat = null;
  if (data.heatmap) {
    heat = L.heatLayer([], {radius: 22, blur: 18, maxZoom: 8, minOpacity: 0.3});
  }

  var dated = data.events.filter(function (e) { return e.t0 !== null; });
  var lo = dated.length ? Math.min.apply(null, dated.map(function (e) { return e.t0; })) : null;
  var hi = dated.length ? Math.max.apply(null, dated.map(function (e) { return e.t1; })) : null;
  var state = {from: lo, to: hi, undated: true};

  var panel = L.control({position: "topleft"});
  var info, fromInput, toInput, fromLabel, toLabel;
  panel.onAdd = function () {
    var div = el("div", "sitmap-title sc-panel");
    div.appendChild(el("h1", null, data.title));
    div.appendChild(el("div", "meta", data.summary));
    if (lo !== null) {
      var slider = el("div", "sc-slider");
      var days = Math.round((hi - lo) / DAY);
      fromLabel = el("span", "sc-date");
      toLabel = el("span", "sc-date");
      fromInput = el("input");
      toInput = el("input");
      [fromInput, toInput].forEach(function (input, i) {
        input.type = "range";
        input.min = "0";
        input.max = String(days);
        input.step = "1";
        input.value = i === 0 ? "0" : String(days);
        input.setAttribute("aria-label", i === 0 ? "events from" : "events until");
        input.addEventListener("input", function () {
          var a = Number(fromInput.value), b = Number(toInput.value);
          if (a > b) { if (input === fromInput) { toInput.value = String(a); } else { fromInput.value = String(b); } }
          state.from = lo + Number(fromInput.value) * DAY;
          state.to = lo + Number(toInput.value) * DAY;
          update();
        });
      });
      var row1 = el("label", "sc-row", "From ");
      row1.appendChild(fromLabel);
      row1.appendChild(fromInput);
      var row2 = el("label", "sc-row", "Until ");
      row2.appendChild(toLabel);
      row2.appendChild(toInput);
      slider.appendChild(row1);
      slider.appendChild(row2);
      div.appendChild(slider);
    }
    var undatedCount = data.events.length - dated.length;
    if (undatedCount) {
      var box = el("label", "sc-row");
      var check = el("input");
      check.type = "checkbox";
      check.checked = true;
      check.addEventListener("change", function () { state.undated = check.checked; update(); });
      box.appendChild(check);
      box.appendChild(document.createTextNode(" show " + undatedCount + " undated events"));
      div.appendChild(box);
    }
    info = el("div", "meta sc-info");
    div.appendChild(info);
    div.appendChild(el("div", "meta", data.method));
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };

  function visible(e) {
    if (e.t0 === null) { return state.undated; }
    return e.t1 >= state.from && e.t0 <= state.to;
  }
  function update() {
    var shown = items.filter(function (it) { return visible(it.event); });
    events.clearLayers();
    events.addLayers(shown.map(function (it) { return it.marker; }));
    areas.clearLayers();
    var areaMarks = 0;
    areaItems.forEach(function (a) {
      var list = a.events.filter(visible);
      if (list.length) {
        areas.addLayer(areaMark(a, list));
        areaMarks += 1;
      }
    });
    if (heat) {
      heat.setLatLngs(shown.map(function (it) {
        return [it.place.lat, it.place.lon, Math.min(1, 0.35 + 0.15 * it.event.documents)];
      }));
    }
    var n = data.events.filter(visible).length;
    if (fromLabel) {
      fromLabel.textContent = iso(state.from) + " ";
      toLabel.textContent = iso(state.to) + " ";
    }
    info.textContent = "Showing " + n + " of " + data.events.length + " events: " + shown.length +
      " at places, " + areaMarks + " area marks.";
  }

  panel.addTo(map);
  areas.addTo(map);
  events.addTo(map);
  places.addTo(map);
  if (heat) { heat.addTo(map); }
  var overlays = {};
  overlays["Events at places"] = events;
  overlays["Events located to a country or region only"] = areas;
  overlays["Places mentioned (" + data.places.length + ")"] = places;
  if (heat) { overlays["Heatmap of point-located events"] = heat; }
  L.control.layers(null, overlays, {collapsed: false, position: "topright"}).addTo(map);

  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var div = el("div", "sitmap-legend");
    div.appendChild(el("h4", null, "Events"));
    data.legend.forEach(function (type) {
      var row = el("div");
      var chip = el("span", "sitmap-chip", style(type).symbol);
      chip.style.background = style(type).color;
      chip.style.color = "#fff";
      row.appendChild(chip);
      row.appendChild(document.createTextNode(type.replace(/_/g, " ").toLowerCase()));
      div.appendChild(row);
    });
    div.appendChild(el("h4", null, "Marks"));
    [["sc-badge sc-mini", "event at a place"], ["sc-badge sc-mini unsure", "expected or denied, not happened"],
     ["sc-area sc-mini", "events located only to a country or region"],
     ["sc-cluster sc-mini", "cluster of events (commonest type's colour)"],
     ["sc-pcluster sc-mini", "places mentioned (cluster)"]].forEach(function (m) {
      var row = el("div");
      var b = el("span", m[0]);
      b.style.setProperty("--c", "#555");
      row.appendChild(b);
      row.appendChild(document.createTextNode(" " + m[1]));
      div.appendChild(row);
    });
    div.appendChild(el("div", "sc-small", "Small number on a mark: documents reporting the event."));
    return div;
  };
  legend.addTo(map);

  update();
  var pts = items.map(function (it) { return [it.place.lat, it.place.lon]; });
  if (!pts.length) { pts = areaItems.map(function (a) { return [a.place.lat, a.place.lon]; }); }
  if (!pts.length) { pts = data.places.map(function (p) { return [p.lat, p.lon]; }); }
  if (pts.length) {
    map.fitBounds(L.latLngBounds(pts).pad(0.15), {paddingTopLeft: [380, 10], maxZoom: 6, animate: false});
  }
  window.sitmap = {map: map, layers: {events: events, areas: areas, places: places, heat: heat},
    state: state, update: update, items: items, areaItems: areaItems};
}
