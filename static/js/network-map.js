// Draws the partners on a map when tiles are configured; the list on the page stays the fallback.
(function () {
  var element = document.getElementById("network-map");
  var data = document.getElementById("network-points");
  if (!element || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent);
  if (!points.length) { return; }
  element.hidden = false;
  var map = L.map(element);
  L.tileLayer(element.dataset.tiles, { maxZoom: 18, attribution: element.dataset.attribution }).addTo(map);
  var bounds = [];
  points.forEach(function (point) {
    var marker = L.marker([point.lat, point.lng]).addTo(map);
    var popup = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = point.name;
    popup.appendChild(title);
    point.offers.forEach(function (offer) {
      var line = document.createElement("div");
      line.textContent = offer;
      popup.appendChild(line);
    });
    marker.bindPopup(popup);
    bounds.push([point.lat, point.lng]);
  });
  map.fitBounds(bounds, { padding: [20, 20] });
})();
