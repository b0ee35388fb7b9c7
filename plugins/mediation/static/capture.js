/* Offline capture: the page is cached by the service worker; a submission made without a connection
   is kept in localStorage (with its client-generated id) and sent when the connection returns.
   The server treats a repeated client id as the same dispute, so a retry never makes a duplicate. */
(function () {
  "use strict";
  var KEY = "concord.mediation.queue";
  var form = document.getElementById("capture-form");
  var box = document.getElementById("sync-queue");
  if (!form || !box) { return; }
  var list = box.querySelector("ul");
  var count = box.querySelector("[data-count]");

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "x" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }
  function load() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function save(q) { localStorage.setItem(KEY, JSON.stringify(q)); render(q); }
  function render(q) {
    q = q || load();
    box.hidden = q.length === 0;
    count.textContent = String(q.length);
    list.textContent = "";
    q.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.data.summary + (item.error ? " — " + item.error : "");
      list.appendChild(li);
    });
  }
  function fresh() { var f = form.querySelector("input[name=client_uuid]"); if (f) { f.value = uuid(); } }

  if (!form.client_uuid.value) { fresh(); }

  function token() {
    return fetch(box.dataset.tokenUrl, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { if (!r.ok) { throw new Error("token"); } return r.json(); })
      .then(function (j) { return j.csrf_token; });
  }
  var busy = false;
  function sync() {
    var q = load();
    if (busy || !q.length || !navigator.onLine) { return; }
    busy = true;
    token().then(function (csrf) {
      return q.reduce(function (p, item) {
        return p.then(function () {
          return fetch(box.dataset.syncUrl, {
            method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
            body: JSON.stringify(item.data)
          }).then(function (r) {
            return r.json().then(function (j) {
              var rest = load();
              if (r.ok) {
                save(rest.filter(function (x) { return x.data.client_uuid !== item.data.client_uuid; }));
              } else if (r.status === 422) {
                rest.forEach(function (x) { if (x.data.client_uuid === item.data.client_uuid) { x.error = j.message; } });
                save(rest);
              }
            });
          });
        });
      }, Promise.resolve());
    }).catch(function () { /* still offline: try again later */ })
      .then(function () { busy = false; });
  }

  form.addEventListener("submit", function (ev) {
    if (navigator.onLine) { return; }           // online: the normal form post
    ev.preventDefault();
    var data = {};
    new FormData(form).forEach(function (v, k) { if (k !== "csrf_token" && typeof v === "string") { data[k] = v; } });
    if (!data.summary || !data.category) { form.reportValidity && form.reportValidity(); return; }
    data.found_at = new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 19);
    var q = load();
    q.push({data: data});
    save(q);
    form.reset();
    fresh();
  });
  window.addEventListener("online", sync);
  render();
  sync();
  if ("serviceWorker" in navigator && box.dataset.swUrl) {
    navigator.serviceWorker.register(box.dataset.swUrl, {scope: box.dataset.swScope}).catch(function () {});
  }
})();
