// The executive view works without this script; it only keeps shared links short and clean:
// the filter form leaves out the fields left empty ("?min_debt=&scout_id=" adds nothing) and a
// default page size, so the URL names exactly the filters applied. Submitting the form starts again at the first page.
// Dates are never parsed here: the server writes them as calendar dates.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("filtros");
  if (!form) {
    return;
  }
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      var empty = field.type !== "checkbox" && field.value === "";
      if (field.name && (empty || field.value === field.getAttribute("data-default"))) {
        field.disabled = true; // left out of the URL: empty, or the default page size
      }
    });
  });
  // Back to this page from the next one: the fields disabled above must work again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      field.disabled = false;
    });
  });
});
