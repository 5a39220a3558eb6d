// Quick exit, after the GOV.UK "Exit this page" component.
// The button, or Shift pressed three times within five seconds, covers the page
// at once and replaces it with /exit/, so Back does not return here.
(function () {
  "use strict";

  var PRESSES_NEEDED = 3;
  var WINDOW_MS = 5000;

  function exitNow(href) {
    var overlay = document.createElement("div");
    overlay.className = "quick-exit-overlay";
    // Inline too, so it covers the page even where our stylesheet is absent.
    overlay.style.cssText = "position:fixed;inset:0;z-index:9999;background:#fff";
    overlay.setAttribute("data-quick-exit-overlay", "");
    document.body.appendChild(overlay);
    document.title = "Circles";
    window.location.replace(href);
  }

  function init() {
    var root = document.querySelector("[data-quick-exit]");
    if (!root) return;
    var button = root.querySelector("[data-quick-exit-button]");
    var status = root.querySelector("[data-quick-exit-status]");
    var dots = root.querySelectorAll(".quick-exit__indicator span");
    var href = button.getAttribute("href");
    var presses = 0;
    var timer = null;

    function show(count) {
      for (var i = 0; i < dots.length; i++) {
        dots[i].classList.toggle("is-filled", i < count);
      }
      root.classList.toggle("is-counting", count > 0);
    }

    function reset(announce) {
      if (timer) window.clearTimeout(timer);
      timer = null;
      if (presses > 0 && announce) status.textContent = root.dataset.reset;
      presses = 0;
      show(0);
    }

    function go(event) {
      if (event) event.preventDefault();
      status.textContent = root.dataset.leaving;
      exitNow(href);
    }

    button.addEventListener("click", go);
    document.querySelectorAll("[data-quick-exit-link]").forEach(function (link) {
      link.addEventListener("click", go);
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift") {
        reset(false);
        return;
      }
      if (event.repeat) return;
      presses += 1;
      show(presses);
      if (presses >= PRESSES_NEEDED) {
        reset(false);
        go();
        return;
      }
      status.textContent = presses === 1 ? root.dataset.pressTwo : root.dataset.pressOne;
      // The five seconds run from the first press, not the latest.
      if (presses === 1) {
        timer = window.setTimeout(function () { reset(true); }, WINDOW_MS);
      }
    });

    // A page restored from the back-forward cache must not stay covered.
    window.addEventListener("pageshow", function () {
      document.querySelectorAll("[data-quick-exit-overlay]").forEach(function (el) {
        el.remove();
      });
      reset(false);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
