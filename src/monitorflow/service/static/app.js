// monitorflow pages: local times, the compare selection, the report iframe's height.
"use strict";
(function () {
  const fmt = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  });

  function localTimes(root) {
    for (const el of root.querySelectorAll("time[datetime]")) {
      const d = new Date(el.getAttribute("datetime"));
      if (isNaN(d)) continue;
      el.title = el.getAttribute("datetime");
      el.textContent = fmt.format(d);
    }
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "local time";
    for (const el of root.querySelectorAll(".tz")) el.textContent = zone;
  }

  function compareSelection() {
    const form = document.getElementById("compare-form");
    if (!form) return;
    const button = document.getElementById("compare");
    const boxes = () => [...form.querySelectorAll('input[name="s"]')];
    form.addEventListener("change", () => {
      const checked = boxes().filter((b) => b.checked);
      button.disabled = checked.length !== 2;
      for (const b of boxes()) b.disabled = !b.checked && checked.length >= 2;
    });
  }

  function fitFrames() {
    for (const frame of document.querySelectorAll("iframe.report")) {
      const fit = () => {
        try {
          const doc = frame.contentDocument;
          if (doc && doc.documentElement) frame.style.height = doc.documentElement.scrollHeight + 20 + "px";
        } catch (e) { /* not same-origin: keep the CSS height */ }
      };
      frame.addEventListener("load", fit);
      fit();
    }
  }

  window.monitorflow = Object.assign(window.monitorflow || {}, { localTimes, fmt });
  document.addEventListener("DOMContentLoaded", () => {
    localTimes(document);
    compareSelection();
    fitFrames();
  });
})();
