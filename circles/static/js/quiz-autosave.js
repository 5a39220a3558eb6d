// Save quiz answers as the learner goes, so leaving and coming back loses nothing.
// Without JavaScript the "Save and finish later" button does the same.
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      var status = form.querySelector("[data-autosave-status]");
      var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
      var pending = null;
      function save() {
        var data = new FormData(form);
        data.set("action", "save");
        // getAttribute: the buttons named "action" shadow form.action.
        fetch(form.getAttribute("action"), {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "Accept": "application/json", "X-CSRFToken": token },
        })
          .then(function (response) { return response.json(); })
          .then(function (body) { if (status) status.textContent = body.message; })
          .catch(function () { /* the Save button still works */ });
      }
      form.addEventListener("change", function () {
        if (pending) window.clearTimeout(pending);
        pending = window.setTimeout(save, 400);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
