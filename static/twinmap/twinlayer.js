/* twinmap's network layer: many cities and links drawn from compact arrays, in the browser.
 *
 * The server sends each city once (position, an HTML-escaped tooltip, a colour) and each link
 * as three integers (two city indexes and a style). Everything the reader sees is recomputed
 * here when the view changes, so panning and zooming never ask the server for anything:
 *  - cities closer than CELL pixels are drawn as one cluster with its count (a click zooms in);
 *  - links with an end in view are drawn one by one as great circles while they are few,
 *    otherwise bundled into one arc per pair of countries, thicker for more links;
 *  - arcs are cut where they cross the antimeridian and where they leave the map near a pole,
 *    so no arc is smeared along the map's edge.
 * Only the cities' FeatureGroup takes clicks: a click on a city tells the page its id.
 */
(function (global) {
  "use strict";
  var CELL = 44, MAX_LAT = 85.0;
  var RAD = Math.PI / 180;

  function xyz(lat, lon) {
    var la = lat * RAD, lo = lon * RAD;
    return [Math.cos(la) * Math.cos(lo), Math.cos(la) * Math.sin(lo), Math.sin(la)];
  }

  /* A great circle from a to b as a list of polyline parts (cut at ±180° and beyond MAX_LAT). */
  function greatCircle(a, b) {
    var p = xyz(a[0], a[1]), q = xyz(b[0], b[1]);
    var dot = Math.max(-1, Math.min(1, p[0] * q[0] + p[1] * q[1] + p[2] * q[2]));
    var omega = Math.acos(dot);
    if (omega < 1e-9) return [[a, b]];
    var n = Math.max(8, Math.ceil(omega / RAD / 2)), s = Math.sin(omega);
    var parts = [], part = [], prev = null;
    for (var i = 0; i <= n; i++) {
      var t = i / n, k1 = Math.sin((1 - t) * omega) / s, k2 = Math.sin(t * omega) / s;
      var x = k1 * p[0] + k2 * q[0], y = k1 * p[1] + k2 * q[1], z = k1 * p[2] + k2 * q[2];
      var pt = [Math.atan2(z, Math.sqrt(x * x + y * y)) / RAD, Math.atan2(y, x) / RAD];
      if (Math.abs(pt[0]) > MAX_LAT) {  // off the map near a pole: end this part, start again after
        if (part.length > 1) parts.push(part);
        part = []; prev = null; continue;
      }
      if (prev && Math.abs(pt[1] - prev[1]) > 180) {  // crossing the antimeridian: meet the edge
        var edge = prev[1] > 0 ? 180 : -180;
        var span = (edge - prev[1]) / ((pt[1] + (edge > 0 ? 360 : -360)) - prev[1]);
        var lat = prev[0] + (pt[0] - prev[0]) * span;
        part.push([lat, edge]);
        if (part.length > 1) parts.push(part);
        part = [[lat, -edge]];
      }
      part.push(pt);
      prev = pt;
    }
    if (part.length > 1) parts.push(part);
    return parts;
  }

  function formatter(lang) {
    try { return new Intl.NumberFormat(lang || "en"); } catch (e) { return new Intl.NumberFormat("en"); }
  }

  function draw(map, data) {
    var renderer = L.canvas({padding: 0.5});
    var arcs = L.layerGroup().addTo(map);         // takes no clicks
    var clusters = L.layerGroup().addTo(map);     // a click zooms in, the page is not asked
    var cities = L.featureGroup().addTo(map);     // a click selects a city (streamlit-folium listens)
    var lat = data.lat, lon = data.lon, n = lat.length, links = data.links, styles = data.styles;
    var number = formatter(data.lang);
    var countryCentre = centres(data);
    var container = map.getContainer();

    function inView(bounds, i) { return bounds.contains([lat[i], lon[i]]); }

    function redraw() {
      arcs.clearLayers(); clusters.clearLayers(); cities.clearLayers();
      var bounds = map.getBounds().pad(0.25);
      drawLinks(bounds);
      drawCities(bounds);
      container.dataset.twinCities = String(cities.getLayers().length);
      container.dataset.twinClusters = String(clusters.getLayers().length);
      container.dataset.twinArcs = String(arcs.getLayers().length);
      container.dataset.twinDrawn = String(Number(container.dataset.twinDrawn || 0) + 1);
    }

    function drawLinks(bounds) {
      var seen = [];
      for (var k = 0; k < links.length; k += 3) {
        if (inView(bounds, links[k]) || inView(bounds, links[k + 1])) seen.push(k);
      }
      container.dataset.twinLinksInView = String(seen.length);
      if (seen.length <= data.limit) {
        seen.forEach(function (k) {
          var a = links[k], b = links[k + 1], st = styles[links[k + 2]];
          var line = L.polyline(greatCircle([lat[a], lon[a]], [lat[b], lon[b]]), {
            renderer: renderer, color: st.colour, weight: 2, opacity: 0.75, dashArray: st.dash || null
          });
          line.bindTooltip(data.tip[a] + " – " + data.tip[b], {sticky: true});
          arcs.addLayer(line);
        });
        return;
      }
      var bundles = {};
      seen.forEach(function (k) {
        var ca = data.country[links[k]], cb = data.country[links[k + 1]];
        var key = ca < cb ? ca + ":" + cb : cb + ":" + ca;
        bundles[key] = (bundles[key] || 0) + 1;
      });
      Object.keys(bundles).map(function (key) { return [key, bundles[key]]; })
        .sort(function (x, y) { return y[1] - x[1]; })
        .slice(0, data.bundles)
        .forEach(function (entry) {
          var pair = entry[0].split(":").map(Number), count = entry[1];
          if (pair[0] === pair[1]) return;  // links within one country show as its cities
          var line = L.polyline(greatCircle(countryCentre[pair[0]], countryCentre[pair[1]]), {
            renderer: renderer, color: data.bundleColour, opacity: Math.min(0.8, 0.25 + 0.08 * Math.log2(count)),
            weight: Math.min(8, 0.5 + Math.log2(count) / 1.5)
          });
          line.bindTooltip(data.countries[pair[0]] + " – " + data.countries[pair[1]] + ": " +
                           data.text.links.replace("{n}", number.format(count)), {sticky: true});
          arcs.addLayer(line);
        });
    }

    function drawCities(bounds) {
      var cells = {}, zoom = map.getZoom();
      for (var i = 0; i < n; i++) {
        if (i === data.focus || !inView(bounds, i)) continue;
        var pt = map.project([lat[i], lon[i]], zoom);
        var key = Math.floor(pt.x / CELL) + ":" + Math.floor(pt.y / CELL);
        (cells[key] = cells[key] || []).push(i);
      }
      Object.keys(cells).forEach(function (key) {
        var members = cells[key];
        if (members.length === 1 || zoom >= data.maxClusterZoom) members.forEach(city);
        else cluster(members);
      });
      if (data.focus >= 0) city(data.focus);
    }

    function city(i) {
      var focus = i === data.focus;
      var marker = L.circleMarker([lat[i], lon[i]], {
        renderer: renderer, radius: focus ? 12 : data.radius[i], weight: focus ? 4 : 1.5,
        color: focus ? "#111111" : "#ffffff", fillColor: data.colour[i], fillOpacity: 0.95
      });
      marker.feature = {type: "Feature", properties: {city_id: data.id[i]},
                        geometry: {type: "Point", coordinates: [lon[i], lat[i]]}};
      marker.bindTooltip(data.tip[i], focus ? {permanent: true, direction: "top", className: "twinmap-focus"} : {});
      cities.addLayer(marker);
    }

    function cluster(members) {
      var sLat = 0, sLon = 0, home = false;
      members.forEach(function (i) { sLat += lat[i]; sLon += lon[i]; home = home || data.home[i] === 1; });
      var count = members.length;
      var marker = L.circleMarker([sLat / count, sLon / count], {
        renderer: renderer, radius: Math.min(CELL / 2 - 4, 6 + 3 * Math.log2(count)), weight: home ? 2.5 : 1.5,
        color: home ? data.homeColour : "#ffffff", fillColor: data.clusterColour, fillOpacity: 0.85
      });
      marker.bindTooltip(data.text.cities.replace("{n}", number.format(count)));
      marker.on("click", function () {
        map.fitBounds(L.latLngBounds(members.map(function (i) { return [lat[i], lon[i]]; })).pad(0.2));
      });
      clusters.addLayer(marker);
    }

    map.on("moveend", redraw);
    setTimeout(redraw, 0);  // after streamlit-folium has attached its click handlers to the groups
  }

  /* Each country's centre: the mean position of its cities on the map (for bundled arcs). */
  function centres(data) {
    var sums = {};
    for (var i = 0; i < data.lat.length; i++) {
      var c = data.country[i], s = sums[c] || (sums[c] = [0, 0, 0, 0]);
      var p = xyz(data.lat[i], data.lon[i]);
      s[0] += p[0]; s[1] += p[1]; s[2] += p[2]; s[3] += 1;
    }
    var out = {};
    Object.keys(sums).forEach(function (c) {
      var s = sums[c];
      out[c] = [Math.atan2(s[2], Math.sqrt(s[0] * s[0] + s[1] * s[1])) / RAD, Math.atan2(s[1], s[0]) / RAD];
    });
    return out;
  }

  global.TwinLayer = {draw: draw, greatCircle: greatCircle};
})(window);
