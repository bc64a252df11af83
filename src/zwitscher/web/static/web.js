// Progressive enhancement only: every page works without this file.
"use strict";

function setUpCharacterCount() {
  const text = document.getElementById("text");
  const counter = document.getElementById("counter");
  if (!text || !counter) return;
  const limit = Number(text.dataset.limit);
  const show = () => {
    const left = limit - [...text.value].length;
    counter.textContent = counter.dataset.template.replace("COUNT", String(left));
    counter.classList.toggle("over", left < 0);
  };
  text.addEventListener("input", show);
  show();
}

function setUpLiveFeed() {
  const feed = document.getElementById("feed");
  const announcer = document.getElementById("live");
  if (!feed || !feed.dataset.live || !window.EventSource) return;
  const source = new EventSource(feed.dataset.live);
  source.addEventListener("update", async (event) => {
    const status = JSON.parse(event.data);
    if (document.getElementById("status-" + status.id)) return;
    const response = await fetch("/web/statuses/" + encodeURIComponent(status.id) + "/card",
                                 {credentials: "same-origin"});
    if (!response.ok) return;
    const card = new DOMParser().parseFromString(await response.text(), "text/html")
      .querySelector("article.status");
    if (!card || document.getElementById(card.id)) return;
    card.classList.add("new");
    feed.prepend(document.adoptNode(card));
    const empty = document.querySelector(".timeline .empty");
    if (empty) empty.remove();
    const author = card.querySelector(".author .name");
    announcer.textContent = announcer.dataset.template.replace("NAME", author ? author.textContent : "");
  });
  source.addEventListener("delete", (event) => {
    const gone = document.getElementById("status-" + event.data);
    if (gone) gone.remove();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpCharacterCount();
  setUpLiveFeed();
});
