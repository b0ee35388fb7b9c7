/* Small form helpers, all optional (every page works without them):
   - a select with data-searchable gets a filter box above it (type part of a name to narrow the list);
   - a form with data-check-required checks its required fields before sending and lists, at the top,
     the fields still empty, by their labels;
   - a form with a required confirmation checkbox (.confirm-box) asks in a <dialog> instead. */
(function () {
  "use strict";
  function labelOf(el) {
    var l = el.id && document.querySelector("label[for='" + el.id + "']");
    return (l ? l.textContent : el.name).replace(/\*/g, "").trim();
  }
  document.querySelectorAll("select[data-searchable]").forEach(function (sel) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-filter";
    box.placeholder = sel.getAttribute("data-searchable") || "";
    box.setAttribute("aria-label", box.placeholder);
    sel.parentNode.insertBefore(box, sel);
    var all = Array.prototype.slice.call(sel.options).map(function (o) { return [o.value, o.text, o.selected]; });
    box.addEventListener("input", function () {
      var q = box.value.trim();
      var keep = sel.value;
      sel.innerHTML = "";
      all.forEach(function (o) {
        if (!q || o[1].indexOf(q) !== -1 || o[0] === "") {
          var opt = new Option(o[1], o[0], false, o[0] === keep);
          sel.add(opt);
        }
      });
      if (q && sel.options.length === 2) sel.selectedIndex = 1;   // one match: take it
    });
  });
  document.querySelectorAll("form[data-check-required]").forEach(function (form) {
    form.noValidate = true;   // this script checks and names every missing field at once (without it: the browser)
    form.addEventListener("submit", function (ev) {
      if (ev.submitter && ev.submitter.hasAttribute("formnovalidate")) return;
      var missing = [];
      form.querySelectorAll("[required]").forEach(function (el) {
        var empty = el.type === "checkbox" ? !el.checked : !String(el.value || "").trim();
        el.toggleAttribute("aria-invalid", empty);
        if (empty && missing.indexOf(labelOf(el)) === -1) missing.push(labelOf(el));
      });
      var summary = form.querySelector(".error-summary-js");
      if (!missing.length) { if (summary) summary.remove(); return; }
      ev.preventDefault();
      if (!summary) {
        summary = document.createElement("div");
        summary.className = "flash flash-error error-summary error-summary-js";
        summary.setAttribute("role", "alert");
        form.insertBefore(summary, form.firstChild);
      }
      summary.textContent = (form.getAttribute("data-check-required") || "") + missing.join("、");
      summary.scrollIntoView({block: "center"});
    });
  });
  if (typeof HTMLDialogElement === "function") {
    document.querySelectorAll("form .confirm-box input[type=checkbox][required]").forEach(function (box) {
      var form = box.form;
      var text = box.closest(".confirm-box").textContent.trim();
      box.closest(".confirm-box").hidden = true;
      box.removeAttribute("required");
      form.addEventListener("submit", function (ev) {
        if (box.checked) return;
        ev.preventDefault();
        var dlg = document.createElement("dialog");
        dlg.className = "confirm-dialog";
        var p = document.createElement("p"); p.textContent = text; dlg.appendChild(p);
        var ok = document.createElement("button"); ok.type = "button"; ok.className = "btn btn-danger";
        ok.textContent = form.getAttribute("data-confirm-ok") || (ev.submitter ? ev.submitter.textContent : "OK");
        var no = document.createElement("button"); no.type = "button"; no.className = "btn";
        no.textContent = document.documentElement.lang.indexOf("zh") === 0 ? "取消" : "Cancel";
        dlg.appendChild(ok); dlg.appendChild(no);
        document.body.appendChild(dlg);
        ok.addEventListener("click", function () { box.checked = true; dlg.close(); form.requestSubmit(ev.submitter || undefined); });
        no.addEventListener("click", function () { dlg.close(); dlg.remove(); });
        dlg.showModal();
      });
    });
  }
})();
