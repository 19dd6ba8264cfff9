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

  // Fields marked data-show-when="other=value" are hidden while that answer is not chosen.
  var conditional = form.querySelectorAll("[data-show-when]");

  function chosen(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : null;
  }

  function updateConditional() {
    conditional.forEach(function (element) {
      var rule = element.getAttribute("data-show-when").split("=");
      var show = chosen(rule[0]) === rule[1] || element.querySelector("[aria-invalid=true]");
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

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
