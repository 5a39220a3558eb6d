// External videos load only when the learner asks: until then nothing on the
// page contacts the other site.
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("[data-click-to-load]").forEach(function (figure) {
      var button = figure.querySelector("[data-click-to-load-button]");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var frame = document.createElement("iframe");
        frame.src = figure.dataset.embedUrl;
        frame.title = figure.dataset.embedTitle;
        frame.allow = "fullscreen; picture-in-picture";
        frame.referrerPolicy = "no-referrer";
        frame.className = "external-video__frame";
        var notice = figure.querySelector(".external-video__notice");
        notice.replaceWith(frame);
        frame.focus();
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
