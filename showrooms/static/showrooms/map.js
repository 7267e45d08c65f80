/* Showroom map: a minimal slippy map with no library and no third-party script.
 *
 * The page renders <div data-showroom-map data-tile-url="https://tiles.example/{z}/{x}/{y}.png"> only when
 * settings.SHOWROOM_MAP_TILE_URL is set, and marks every showroom in its list with
 * data-showroom-marker data-lat data-lng data-name [data-url]. This script picks the largest zoom that fits every
 * marker, lays out 256px tiles from the tile server as <img> elements, puts a marker on each showroom (a link to
 * its page) and offers zoom buttons. No inline handlers: it works under a strict Content-Security-Policy.
 */
(function () {
  "use strict";

  var TILE = 256;
  var MIN_ZOOM = 3;
  var MAX_ZOOM = 17;
  var SINGLE_ZOOM = 15;
  var PADDING = 36;

  /* Web Mercator: longitude/latitude to world pixels at a zoom level. */
  function project(lat, lng, zoom) {
    var scale = TILE * Math.pow(2, zoom);
    var sin = Math.sin((lat * Math.PI) / 180);
    sin = Math.min(Math.max(sin, -0.9999), 0.9999);
    return {
      x: ((lng + 180) / 360) * scale,
      y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale
    };
  }

  function bounds(markers, zoom) {
    var box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    markers.forEach(function (marker) {
      var p = project(marker.lat, marker.lng, zoom);
      box.minX = Math.min(box.minX, p.x);
      box.maxX = Math.max(box.maxX, p.x);
      box.minY = Math.min(box.minY, p.y);
      box.maxY = Math.max(box.maxY, p.y);
    });
    return box;
  }

  function fitZoom(markers, width, height) {
    if (markers.length < 2) {
      return SINGLE_ZOOM;
    }
    for (var zoom = MAX_ZOOM; zoom > MIN_ZOOM; zoom--) {
      var box = bounds(markers, zoom);
      if (box.maxX - box.minX <= width - 2 * PADDING && box.maxY - box.minY <= height - 2 * PADDING) {
        return zoom;
      }
    }
    return MIN_ZOOM;
  }

  function tileUrl(template, zoom, x, y) {
    return template
      .replace("{z}", String(zoom))
      .replace("{x}", String(x))
      .replace("{y}", String(y))
      .replace("{s}", "abc".charAt(Math.abs(x + y) % 3))
      .replace("{r}", "");
  }

  function readMarkers() {
    var nodes = document.querySelectorAll("[data-showroom-marker]");
    var markers = [];
    Array.prototype.forEach.call(nodes, function (node) {
      var lat = parseFloat(node.getAttribute("data-lat"));
      var lng = parseFloat(node.getAttribute("data-lng"));
      if (isFinite(lat) && isFinite(lng)) {
        markers.push({
          lat: lat,
          lng: lng,
          name: node.getAttribute("data-name") || "",
          url: node.getAttribute("data-url") || ""
        });
      }
    });
    return markers;
  }

  function element(tag, className) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    return node;
  }

  function ShowroomMap(container, markers) {
    this.container = container;
    this.markers = markers;
    this.template = container.getAttribute("data-tile-url");
    this.zoom = null;
    this.center = null; /* in world pixels at zoom 0, so it survives zoom changes */

    this.pane = element("div", "showroom-map__pane");
    this.tiles = element("div", "showroom-map__tiles");
    this.pins = element("div", "showroom-map__pins");
    this.pane.appendChild(this.tiles);
    this.pane.appendChild(this.pins);
    container.appendChild(this.pane);

    var controls = element("div", "showroom-map__controls");
    this.zoomIn = this.button(controls, "+", container.getAttribute("data-label-zoom-in") || "+", 1);
    this.zoomOut = this.button(controls, "\u2212", container.getAttribute("data-label-zoom-out") || "-", -1);
    container.appendChild(controls);

    var attribution = container.getAttribute("data-attribution");
    if (attribution) {
      var note = element("p", "showroom-map__attribution");
      note.textContent = attribution;
      container.appendChild(note);
    }
    container.classList.add("is-ready");
  }

  ShowroomMap.prototype.button = function (parent, text, label, step) {
    var self = this;
    var node = element("button", "showroom-map__zoom");
    node.type = "button";
    node.textContent = text;
    node.setAttribute("aria-label", label);
    node.title = label;
    node.addEventListener("click", function () {
      self.setZoom(self.zoom + step);
    });
    parent.appendChild(node);
    return node;
  };

  ShowroomMap.prototype.fit = function () {
    var width = this.container.clientWidth;
    var height = this.container.clientHeight;
    this.zoom = fitZoom(this.markers, width, height);
    var box = bounds(this.markers, 0);
    this.center = { x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2 };
    this.render();
  };

  ShowroomMap.prototype.setZoom = function (zoom) {
    this.zoom = Math.min(Math.max(zoom, MIN_ZOOM), MAX_ZOOM);
    this.render();
  };

  ShowroomMap.prototype.render = function () {
    var width = this.container.clientWidth;
    var height = this.container.clientHeight;
    var zoom = this.zoom;
    var factor = Math.pow(2, zoom);
    var left = this.center.x * factor - width / 2;
    var top = this.center.y * factor - height / 2;
    var count = Math.pow(2, zoom);

    this.tiles.textContent = "";
    var firstX = Math.floor(left / TILE);
    var lastX = Math.floor((left + width) / TILE);
    var firstY = Math.max(0, Math.floor(top / TILE));
    var lastY = Math.min(count - 1, Math.floor((top + height) / TILE));
    for (var tx = firstX; tx <= lastX; tx++) {
      for (var ty = firstY; ty <= lastY; ty++) {
        var img = element("img", "showroom-map__tile");
        img.alt = "";
        img.width = TILE;
        img.height = TILE;
        img.decoding = "async";
        img.draggable = false;
        img.src = tileUrl(this.template, zoom, ((tx % count) + count) % count, ty);
        img.style.left = Math.round(tx * TILE - left) + "px";
        img.style.top = Math.round(ty * TILE - top) + "px";
        this.tiles.appendChild(img);
      }
    }

    this.pins.textContent = "";
    var placed = []; /* label boxes already shown: a label that would cover one stays hidden (the pin keeps its name) */
    this.markers.forEach(function (marker) {
      var p = project(marker.lat, marker.lng, zoom);
      var pin = element(marker.url ? "a" : "span", "showroom-map__marker");
      if (marker.url) {
        pin.href = marker.url;
      }
      pin.title = marker.name;
      pin.setAttribute("aria-label", marker.name);
      var label = element("span", "showroom-map__label");
      label.textContent = marker.name;
      pin.appendChild(label);
      var x = p.x - left;
      var y = p.y - top;
      var toLeft = x > width - 160; /* keep the name inside the map near its right edge */
      if (toLeft) {
        pin.classList.add("is-left");
      }
      var box = { left: toLeft ? x - 174 : x + 14, right: toLeft ? x - 14 : x + 174, top: y - 30, bottom: y - 8 };
      var overlaps = placed.some(function (other) {
        return box.left < other.right && other.left < box.right && box.top < other.bottom && other.top < box.bottom;
      });
      if (overlaps) {
        label.hidden = true;
      } else {
        placed.push(box);
      }
      pin.style.left = Math.round(p.x - left) + "px";
      pin.style.top = Math.round(p.y - top) + "px";
      this.pins.appendChild(pin);
    }, this);

    this.zoomIn.disabled = zoom >= MAX_ZOOM;
    this.zoomOut.disabled = zoom <= MIN_ZOOM;
  };

  function init() {
    var markers = readMarkers();
    Array.prototype.forEach.call(document.querySelectorAll("[data-showroom-map]"), function (container) {
      if (!markers.length || !container.getAttribute("data-tile-url")) {
        container.hidden = true;
        return;
      }
      var map = new ShowroomMap(container, markers);
      map.fit();
      var pending = null;
      window.addEventListener("resize", function () {
        window.clearTimeout(pending);
        pending = window.setTimeout(function () {
          map.render();
        }, 150);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
