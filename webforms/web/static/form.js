// Progressive enhancement only: every feature of the form works without this script.
(function () {
  "use strict";
  var form = document.getElementById("document-form");
  if (!form) return;

  // A form being filled keeps the session alive: typing tells the server, at most every few
  // minutes, that someone is still here (the session otherwise ends after the idle timeout).
  var keepAliveUrl = form.getAttribute("data-keep-alive");
  var lastSign = Date.now();
  form.addEventListener("input", function () {
    if (keepAliveUrl && Date.now() - lastSign > 4 * 60 * 1000) {
      lastSign = Date.now();
      fetch(keepAliveUrl, {credentials: "same-origin", cache: "no-store"});
    }
  });

  // Fields marked data-show-when="other=value|value" are hidden while none of those answers is
  // chosen (a ticked box's value is "y"; for a checklist, any ticked one counts). Looked up each
  // time: rows added in the page carry rules too.
  function chosenValues(name) {
    return Array.prototype.map.call(
      form.querySelectorAll('input[name="' + name + '"]:checked'),
      function (input) { return input.value; });
  }

  function updateConditional() {
    form.querySelectorAll("[data-show-when]").forEach(function (element) {
      var rule = element.getAttribute("data-show-when");
      var at = rule.indexOf("=");
      var wanted = rule.slice(at + 1).split("|");
      var show = chosenValues(rule.slice(0, at)).some(function (value) {
        return wanted.indexOf(value) !== -1;
      }) || element.querySelector("[aria-invalid=true]");
      element.hidden = !show;
    });
  }

  form.addEventListener("change", updateConditional);
  updateConditional();

  // A text near its limit shows how much room is left, and says so at the limit: the browser
  // stops the typing there, and nothing may be cut without a word.
  var counterText = form.getAttribute("data-counter");
  var fullText = form.getAttribute("data-counter-full");

  function counterFor(field) {
    var id = field.id + "-counter";
    var counter = document.getElementById(id);
    if (!counter) {
      counter = document.createElement("p");
      counter.id = id;
      counter.className = "counter";
      counter.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", counter);
    }
    return counter;
  }

  function updateCounter(field) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!max || !counterText) return;
    var count = field.value.length;
    if (count < max * 0.8) {
      var old = document.getElementById(field.id + "-counter");
      if (old) old.textContent = "";
      return;
    }
    var text = count >= max ? fullText : counterText;
    counterFor(field).textContent = text.replace("%(count)s", count).replace("%(max)s", max);
  }

  form.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("maxlength")) {
      updateCounter(event.target);
    }
  });

  // Rows are added and removed in the page, without a round trip to the server. The server
  // renders an empty row in a <template>; "__index__" stands for the row's position.
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  form.appendChild(live);

  function rowsOf(group) {
    return Array.prototype.filter.call(group.children, function (child) {
      return child.classList && child.classList.contains("row");
    });
  }

  function renumber(group) {
    var label = group.getAttribute("data-row-label");
    var rows = rowsOf(group);
    rows.forEach(function (row, position) {
      row.querySelectorAll(".row-label").forEach(function (element) {
        element.textContent = (element.tagName === "SPAN" ? " " : "") + label + " " + (position + 1);
      });
    });
    var add = group.querySelector("button.add");
    var max = parseInt(group.getAttribute("data-max-rows"), 10);
    if (add) add.disabled = rows.length >= max;
  }

  function nextIndex(group) {
    var highest = -1;
    rowsOf(group).forEach(function (row) {
      var match = /-(\d+)$/.exec(row.id);
      if (match) highest = Math.max(highest, parseInt(match[1], 10));
    });
    return highest + 1;
  }

  function addRow(group) {
    var template = group.querySelector("template.row-template");
    var index = nextIndex(group);
    var html = template.innerHTML.split("__index__").join(String(index));
    template.insertAdjacentHTML("beforebegin", html);
    renumber(group);
    var rows = rowsOf(group);
    var added = rows[rows.length - 1];
    var first = added.querySelector("input:not([type=hidden]), textarea, select");
    if (first) first.focus();
    live.textContent = group.getAttribute("data-row-label") + " " + rows.length;
    changed();
  }

  function clearRow(row) {
    row.querySelectorAll("input, textarea, select").forEach(function (input) {
      if (input.type === "checkbox" || input.type === "radio") input.checked = input.defaultChecked;
      else if (input.tagName === "SELECT") input.selectedIndex = 0;
      else input.value = "";
    });
  }

  function removeRow(group, row) {
    var rows = rowsOf(group);
    if (rows.length > 1) row.remove();
    else clearRow(row);
    renumber(group);
    group.querySelector("button.add").focus();
    live.textContent = "−";
    changed();
  }

  form.querySelectorAll("fieldset.rows[data-row-label]").forEach(function (group) {
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=row_action]");
      if (!button || button.closest("fieldset.rows") !== group) return;
      var verb = button.value.split(":")[0];
      if (verb === "add") {
        event.preventDefault();
        addRow(group);
      } else if (verb === "remove") {
        event.preventDefault();
        removeRow(group, button.closest(".row"));
      }
    });
    renumber(group);
  });

  // The page saves its draft by itself: some time after a change (data-autosave-every, in
  // milliseconds; 30 seconds by default), into the record named by the hidden "record" field, and
  // before the interface language changes, so that the draft opens in the new language. A page
  // nobody changed is never saved: an issued record stays as it was issued. Failures stay quiet;
  // "Guardar borrador" still works without this script.
  var autosaveUrl = form.getAttribute("data-autosave");
  var savedText = form.getAttribute("data-saved") || "";
  var changes = 0;       // changes made on this page
  var savedChanges = 0;  // how many of them the server holds
  var saving = null;     // the save in flight, if any
  var timer = null;

  function autosaveEvery() {
    var every = parseInt(form.getAttribute("data-autosave-every"), 10);
    return every > 0 ? every : 30000;
  }

  function changed() {
    changes += 1;
    if (autosaveUrl && !timer) timer = setTimeout(autosaveLater, autosaveEvery());
  }

  function autosaveLater() {
    timer = null;
    if (saving) timer = setTimeout(autosaveLater, autosaveEvery());
    else if (worthSaving()) save(20000);
  }

  // A new page is saved only once it holds something the user typed or chose: opened and left
  // as it came (a row added and removed, a text typed and erased), it makes no draft.
  function serialized() {
    var filled = new URLSearchParams();
    formData().forEach(function (value, name) {
      if (value !== "") filled.append(name, value);  // an empty row added is nothing typed
    });
    return filled.toString();
  }

  function worthSaving() {
    if (changes === savedChanges) return false;
    var record = form.querySelector('input[name="record"]');
    if ((record && record.value) || serialized() !== untouched) return true;
    savedChanges = changes;
    return false;
  }

  function formData() {
    var data = new FormData(form);
    var files = [];
    data.forEach(function (value, name) {
      if (typeof value !== "string") files.push(name);  // an uploaded document is not a draft
    });
    files.forEach(function (name) { data.delete(name); });
    return data;
  }

  // POST the form as it is now; resolves with the server's answer, or null when it failed.
  function save(timeout) {
    var sent = changes;
    var controller = window.AbortController ? new AbortController() : null;
    var stop = controller ? setTimeout(function () { controller.abort(); }, timeout) : null;
    saving = fetch(autosaveUrl, {method: "POST", body: formData(), credentials: "same-origin",
                                 cache: "no-store", headers: {"Accept": "application/json"},
                                 signal: controller ? controller.signal : undefined})
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        return response.ok && json ? response.json() : null;
      })
      .catch(function () { return null; })
      .then(function (answer) {
        clearTimeout(stop);
        saving = null;
        if (answer && answer.record) saved(answer, sent);
        if (changes !== savedChanges && !timer) timer = setTimeout(autosaveLater, autosaveEvery());
        return answer && answer.record ? answer : null;
      });
    return saving;
  }

  function saved(answer, sent) {
    savedChanges = Math.max(savedChanges, sent);
    var field = form.querySelector('input[name="record"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "record";
      form.insertBefore(field, form.firstChild);
    }
    field.value = answer.record;
    if (answer.url && window.history && history.replaceState) {
      history.replaceState(history.state, "", answer.url);
      languageLinks().forEach(function (link) { link.href = withNext(link.href, answer.url); });
    }
    statusElement().textContent = savedText.replace("%(time)s", answer.saved_at || "");
  }

  function statusElement() {
    var status = document.getElementById("autosave-status");
    if (!status) {
      status = document.createElement("p");
      status.id = "autosave-status";
      status.className = "help";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      var actions = form.querySelector(".actions");
      if (actions) actions.parentNode.insertBefore(status, actions);
      else form.appendChild(status);
    }
    return status;
  }

  function languageLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("nav.languages a"));
  }

  function withNext(href, next) {
    var url = new URL(href, window.location.href);
    url.searchParams.set("next", next);
    return url.toString();
  }

  // Changing the language reloads the page: save what is unsaved first (a few seconds at most),
  // then go to the language with the draft's address as the page to come back to.
  var leaving = false;

  function saveThenGo(link) {
    leaving = true;
    var stored = (saving || Promise.resolve(null)).then(function () {
      return worthSaving() ? save(4000) : null;
    });
    var enough = new Promise(function (done) { setTimeout(done, 5000); });
    Promise.race([stored, enough]).then(function () {
      window.location.href = link.href;
    });
  }

  function languageClicked(event) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    if (leaving || changes !== savedChanges || saving) {
      event.preventDefault();
      if (!leaving) saveThenGo(event.currentTarget);
    }
  }

  // A save still in flight finishes before the form is sent, so that both do not create a record
  // each. What the form sends is then not left to a later autosave: saving the page again after
  // issuing it would mark the record just issued as changed since its issue.
  function submitted(event) {
    if (saving && event.submitter !== undefined && form.requestSubmit) {
      event.preventDefault();
      var submitter = event.submitter;
      saving.then(function () { form.requestSubmit(submitter); });
      return;
    }
    savedChanges = changes;
    clearTimeout(timer);
    timer = null;
  }

  var untouched = autosaveUrl ? serialized() : "";

  if (autosaveUrl) {
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", submitted);
    languageLinks().forEach(function (link) {
      link.addEventListener("click", languageClicked);
    });
  }

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
