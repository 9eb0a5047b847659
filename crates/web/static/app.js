// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    var form = select.form;
    var button = form && form.querySelector("button[type=submit]");
    if (button) button.hidden = true;
    select.addEventListener("change", function () { form.submit(); });
  });
  // A double click must not send a form twice.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
});
// Coming back with the Back button must find the buttons usable again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
});
// The application form: changing what the choices depend on shows the new choices at once
// (the same "Показать организации" button a visitor without JavaScript presses).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-refresh-form]").forEach(function (form) {
    var button = form.querySelector("[data-refresh-button]");
    if (!button) return;
    var names = ["child_id", "kind", "correction_type", "district", "kato"];
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target && names.indexOf(target.name) !== -1) button.click();
    });
  });
});
