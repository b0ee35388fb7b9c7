/* Offline capture: the page is cached by the service worker; a submission made without a connection
   is kept on the phone in IndexedDB (with its client-generated id, and the photo as a blob) and sent
   when the connection returns: first the dispute, then its photo (with a client id of its own).
   The server treats a repeated client id as the same record, so a retry never makes a duplicate.
   Without IndexedDB the queue falls back to localStorage (then without photos). */
(function () {
  "use strict";
  var LEGACY = "concord.mediation.queue";
  var DB = "concord-mediation";
  var STORE = "queue";
  var form = document.getElementById("capture-form");
  var box = document.getElementById("sync-queue");
  if (!form || !box) { return; }
  var list = box.querySelector("ul");
  var count = box.querySelector("[data-count]");
  var photoMax = parseInt(box.dataset.photoMax || "0", 10) || 5 * 1024 * 1024;

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "x" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  /* --- storage: IndexedDB, else localStorage ------------------------------------------------ */
  function legacyLoad() { try { return JSON.parse(localStorage.getItem(LEGACY) || "[]"); } catch (e) { return []; } }
  function legacySave(q) { try { localStorage.setItem(LEGACY, JSON.stringify(q)); } catch (e) { /* full */ } }
  var local = {
    all: function () { return Promise.resolve(legacyLoad().map(function (x) { x.id = x.id || x.data.client_uuid; return x; })); },
    put: function (item) {
      var q = legacyLoad().filter(function (x) { return (x.id || x.data.client_uuid) !== item.id; });
      q.push({id: item.id, data: item.data, error: item.error || ""});
      legacySave(q);
      return Promise.resolve();
    },
    remove: function (id) {
      legacySave(legacyLoad().filter(function (x) { return (x.id || x.data.client_uuid) !== id; }));
      return Promise.resolve();
    },
    photos: false
  };
  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, {keyPath: "id"}); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function idbStore(db) {
    function run(mode, fn) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var req = fn(t.objectStore(STORE));
        t.oncomplete = function () { resolve(req ? req.result : undefined); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    }
    return {
      all: function () { return run("readonly", function (s) { return s.getAll(); }); },
      put: function (item) { return run("readwrite", function (s) { return s.put(item); }); },
      remove: function (id) { return run("readwrite", function (s) { return s["delete"](id); }); },
      photos: true
    };
  }
  var ready = openDb().then(function (db) {
    var store = idbStore(db);
    var old = legacyLoad();            // a queue kept by an earlier version of this page
    if (!old.length) { return store; }
    return old.reduce(function (p, x) {
      return p.then(function () { return store.put({id: x.data.client_uuid, data: x.data, error: x.error || ""}); });
    }, Promise.resolve()).then(function () { localStorage.removeItem(LEGACY); return store; });
  }, function () { return local; });

  /* --- the waiting list ---------------------------------------------------------------------- */
  function render() {
    return ready.then(function (store) { return store.all(); }).then(function (q) {
      box.hidden = q.length === 0;
      count.textContent = String(q.length);
      list.textContent = "";
      q.forEach(function (item) {
        var li = document.createElement("li");
        li.textContent = item.data.summary + (item.photo ? " · " + (box.dataset.photoLabel || "photo") : "") +
          (item.error ? " — " + item.error : "");
        list.appendChild(li);
      });
    });
  }
  function fresh() { var f = form.querySelector("input[name=client_uuid]"); if (f) { f.value = uuid(); } }
  if (!form.client_uuid.value) { fresh(); }

  /* --- sync ------------------------------------------------------------------------------------ */
  function token() {
    return fetch(box.dataset.tokenUrl, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { if (!r.ok) { throw new Error("token"); } return r.json(); })
      .then(function (j) { return j.csrf_token; });
  }
  function answer(r) {
    return r.json().catch(function () { return {}; }).then(function (j) { return {status: r.status, ok: r.ok, body: j}; });
  }
  function sendPhoto(store, item, csrf) {
    var fd = new FormData();
    fd.append("client_id", item.photoId);
    fd.append("dispute_uuid", item.id);
    fd.append("photo", item.photo, item.photoName || "photo");
    return fetch(box.dataset.photoUrl, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrf}, body: fd})
      .then(answer).then(function (a) {
        if (a.ok) { return store.remove(item.id); }
        if (a.status === 422) {            // refused for good (too big, not a photo): keep the record, say why
          item.photo = null;
          item.error = a.body.message || "";
          return store.put(item);
        }
        throw new Error("photo");
      });
  }
  function sendOne(store, item, csrf) {
    return fetch(box.dataset.syncUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(item.data)
    }).then(answer).then(function (a) {
      if (a.status === 422) { item.error = a.body.message || ""; return store.put(item); }
      if (!a.ok) { throw new Error("sync"); }
      if (item.photo && item.photoId) { return sendPhoto(store, item, csrf); }
      return store.remove(item.id);
    });
  }
  var busy = false;
  function sync() {
    if (busy || !navigator.onLine) { return; }
    busy = true;
    ready.then(function (store) {
      return store.all().then(function (q) {
        if (!q.length) { return; }
        return token().then(function (csrf) {
          return q.reduce(function (p, item) { return p.then(function () { return sendOne(store, item, csrf); }); },
                          Promise.resolve());
        });
      });
    }).catch(function () { /* still offline: try again later */ })
      .then(function () { busy = false; return render(); });
  }

  form.addEventListener("submit", function (ev) {
    if (navigator.onLine) { return; }           // online: the normal form post (with the photo)
    ev.preventDefault();
    var data = {};
    new FormData(form).forEach(function (v, k) { if (k !== "csrf_token" && typeof v === "string") { data[k] = v; } });
    if (!data.summary || !data.category) { if (form.reportValidity) { form.reportValidity(); } return; }
    data.found_at = new Date().toISOString().slice(0, 19) + "Z";   // the instant; the server keeps its own zone
    var item = {id: data.client_uuid, data: data, error: ""};
    var input = form.querySelector("input[type=file][name=photo]");
    var file = input && input.files && input.files[0];
    ready.then(function (store) {
      if (file) {
        if (!store.photos) {
          item.error = box.dataset.photoOnline || "";
        } else if (["image/jpeg", "image/png"].indexOf(file.type) === -1) {
          item.error = box.dataset.photoType || "";
        } else if (file.size > photoMax) {
          item.error = box.dataset.photoSize || "";
        } else {
          item.photo = file;
          item.photoName = file.name;
          item.photoId = uuid();
        }
      }
      return store.put(item);
    }).then(function () {
      form.reset();
      fresh();
      return render();
    });
  });
  window.addEventListener("online", sync);
  render().then(sync);
  if ("serviceWorker" in navigator && box.dataset.swUrl) {
    navigator.serviceWorker.register(box.dataset.swUrl, {scope: box.dataset.swScope}).catch(function () {});
  }
})();
