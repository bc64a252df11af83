/* A recipient's crisis page, opened by their own link: say that a person read it. A mail
   filter that fetches the link to scan it runs no script, so it opens nothing. */
"use strict";
(() => {
  const script = document.currentScript;
  const target = script && script.dataset.opened;
  if (target) fetch(target, { method: "POST", credentials: "same-origin" }).catch(() => {});
})();
