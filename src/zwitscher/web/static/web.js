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

// Notifications page: new notifications arrive from the session's notification stream; each
// is fetched as the page renders it (in the reader's language) and announced politely.
function setUpLiveNotifications() {
  const list = document.getElementById("notifications");
  const announcer = document.getElementById("notification-live");
  if (!list || !list.dataset.live || !announcer || !window.EventSource) return;
  const source = new EventSource(list.dataset.live);
  // Whoever waits for news (a test, a curious reader) can tell the page is listening.
  source.addEventListener("open", () => { list.dataset.listening = "yes"; });
  source.addEventListener("notification", async (event) => {
    const notification = JSON.parse(event.data);
    if (list.dataset.filter === "mentions" && notification.type !== "mention") return;
    if (document.getElementById("notification-" + notification.id)) return;
    const response = await fetch("/web/notifications/" + encodeURIComponent(notification.id) +
                                 "/card", {credentials: "same-origin"});
    if (!response.ok) return;
    const item = new DOMParser().parseFromString(await response.text(), "text/html")
      .querySelector("article.notification");
    if (!item || document.getElementById(item.id)) return;
    // A post is shown as a full card once per page, so its ids stay unique.
    const card = item.querySelector("article.status");
    if (card && document.getElementById(card.id)) card.remove();
    item.classList.add("new");
    list.prepend(document.adoptNode(item));
    const empty = document.querySelector(".inbox .empty");
    if (empty) empty.remove();
    const upTo = document.querySelector("input[name=up_to]");
    if (upTo) upTo.value = notification.id;
    const summary = item.querySelector(".summary");
    const badge = summary && summary.querySelector(".badge");
    announcer.textContent = summary ? summary.textContent.replace(badge ? badge.textContent : "", "").trim() : "";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpCharacterCount();
  setUpLiveFeed();
  setUpLiveNotifications();
});
