/* Service worker of the mediation capture page: network first, the cached copy when offline. */
var CACHE = "concord-mediation-capture-v2";
var PAGE = self.registration.scope + "capture";
self.addEventListener("install", function (ev) {
  ev.waitUntil(caches.open(CACHE).then(function (c) { return c.add(PAGE); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (ev) { ev.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (ev) {
  var req = ev.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  var cacheable = url.pathname.indexOf("/static/") !== -1 || url.href.split("?")[0] === PAGE ||
    url.href.split("?")[0] === self.registration.scope + "risk.css";
  if (!cacheable) { return; }
  ev.respondWith(fetch(req).then(function (res) {
    if (res.ok) { var copy = res.clone(); caches.open(CACHE).then(function (c) { c.put(req, copy); }); }
    return res;
  }).catch(function () {
    return caches.match(req).then(function (hit) { return hit || caches.match(PAGE, {ignoreSearch: true}); });
  }));
});
