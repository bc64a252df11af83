// An event's wall: new posts slide in at the top from the wall's stream, deleted or hidden
// ones go at once, and the list never holds more than its `data-max` posts (the oldest leave),
// so a wall runs for hours without its page growing. Nothing is kept but the list itself.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Times in the projector's own time zone (the page, made without a reader, writes UTC).
  const language = document.documentElement.lang;
  const formats = {
    time: new Intl.DateTimeFormat(language, {hour: "numeric", minute: "2-digit"}),
    day: new Intl.DateTimeFormat(language, {dateStyle: "medium", timeStyle: "short"}),
  };
  const localTimes = (root) => {
    for (const time of root.querySelectorAll("time[data-local]")) {
      const format = formats[time.dataset.local];
      if (format) time.textContent = format.format(new Date(time.dateTime));
    }
  };
  localTimes(document);
  const list = document.getElementById("wall-posts");
  const empty = document.getElementById("wall-empty");
  const ended = document.getElementById("wall-ended");
  const announcer = document.getElementById("wall-live");
  if (!list || !list.dataset.live || list.dataset.ended === "yes" || !window.EventSource) return;
  const most = Number(list.dataset.max) || 50;
  const source = new EventSource(list.dataset.live);

  source.addEventListener("open", () => { list.dataset.listening = "yes"; });
  source.addEventListener("post", (event) => {
    const data = JSON.parse(event.data);
    const item = new DOMParser().parseFromString(data.html, "text/html").querySelector("li.wall-post");
    if (!item) return;
    const fresh = document.adoptNode(item);
    localTimes(fresh);
    const known = document.getElementById(fresh.id);
    if (known) {
      known.replaceWith(fresh);
      return;
    }
    fresh.classList.add("arriving");
    list.prepend(fresh);
    while (list.children.length > most) list.lastElementChild.remove();
    if (empty) empty.hidden = true;
    const name = fresh.querySelector(".wall-name");
    if (announcer && name) announcer.textContent = announcer.dataset.template.replace("NAME", name.textContent);
  });
  source.addEventListener("remove", (event) => {
    const gone = document.getElementById("wall-post-" + JSON.parse(event.data).id);
    if (gone) gone.remove();
    if (empty && !list.children.length) empty.hidden = false;
  });
  source.addEventListener("ended", () => {
    source.close();
    list.dataset.ended = "yes";
    if (ended) ended.hidden = false;
  });
  // The secret link was renewed: this one no longer opens the wall.
  source.addEventListener("gone", () => {
    source.close();
    window.location.reload();
  });
});
