/* The crisis desk's pages.
   - A dashboard's counts (#crisis-live) follow the crisis: its stream ticks whenever someone
     opens or answers it or a batch of messages goes out, and the counts are fetched anew as
     the server renders them, at most once a second however fast the ticks come. Open lists
     stay open and the focus stays where it was (on an element with an id). Without this script the page is as current
     as its last reload. When more people need help than before, a status line says so to
     screen readers.
   - The confirmation's "Send now" sends once: a second tap while the first is on its way
     would send a second alert. */
"use strict";
{
  const live = document.getElementById("crisis-live");
  const announcer = document.getElementById("crisis-announcer");
  const helpCount = () => {
    const count = document.getElementById("crisis-help-count");
    return count ? Number(count.dataset.count) : 0;
  };
  if (live && live.dataset.live && live.dataset.fragment && window.EventSource) {
    const PAUSE = 1000;
    let last = 0;
    let timer = null;
    let fetching = false;
    let again = false;
    const refresh = async () => {
      timer = null;
      if (fetching) {
        again = true;
        return;
      }
      fetching = true;
      last = Date.now();
      try {
        const response = await fetch(live.dataset.fragment, {credentials: "same-origin"});
        const fresh = response.ok && new DOMParser()
          .parseFromString(await response.text(), "text/html").getElementById("crisis-live");
        if (fresh) {
          const open = [...live.querySelectorAll("details[id][open]")].map((details) => details.id);
          const focused = live.contains(document.activeElement) ? document.activeElement.id : "";
          const helpBefore = helpCount();
          live.replaceChildren(...[...fresh.childNodes].map((node) => document.adoptNode(node)));
          for (const id of open) {
            const details = document.getElementById(id);
            if (details) details.open = true;
          }
          const focus = focused && document.getElementById(focused);
          if (focus) focus.focus({preventScroll: true});
          const helpNow = helpCount();
          if (announcer && helpNow > helpBefore) {
            announcer.textContent = announcer.dataset.help.replace("COUNT", String(helpNow));
          }
          live.dataset.refreshed = String(Number(live.dataset.refreshed || 0) + 1);
        }
      } catch (error) {
        // The next tick (or a reload) brings the counts up to date.
      } finally {
        fetching = false;
        if (again) {
          again = false;
          tick();
        }
      }
    };
    const tick = () => {
      if (timer) return;
      timer = setTimeout(refresh, Math.max(0, last + PAUSE - Date.now()));
    };
    const source = new EventSource(live.dataset.live);
    // Whoever waits for news (a test, a curious reader) can tell the page is listening.
    source.addEventListener("open", () => { live.dataset.listening = "yes"; });
    source.addEventListener("tick", tick);
  }

  for (const form of document.querySelectorAll("form.crisis-once")) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "yes";
      form.setAttribute("aria-busy", "true");
    });
  }
}
