// Progressive enhancement only: every feature of the form works without this script.
// Fields marked data-show-when="other=value" are hidden while that answer is not chosen.
(function () {
  "use strict";
  var form = document.querySelector("form[method=post]");
  if (!form) return;
  var conditional = form.querySelectorAll("[data-show-when]");

  function chosen(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : null;
  }

  function update() {
    conditional.forEach(function (element) {
      var rule = element.getAttribute("data-show-when").split("=");
      var show = chosen(rule[0]) === rule[1] || element.querySelector("[aria-invalid=true]");
      element.hidden = !show;
    });
  }

  form.addEventListener("change", update);
  update();

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
