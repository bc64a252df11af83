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
  setUpStatusActions();
  setUpShortcuts();
});

// Status cards: their action forms are sent with fetch and the card is replaced by its new
// state, keeping focus on the same button; any failure falls back to the plain form.
function setUpStatusActions() {
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("status-action")) return;
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST", body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin", redirect: "manual",
    }).catch(() => null);
    if (!response || (response.type !== "opaqueredirect" && !response.ok)) {
      form.submit();
      return;
    }
    const card = document.getElementById("status-" + form.dataset.card);
    const back = form.elements.namedItem("back");
    const fresh = await fetch("/web/statuses/" + encodeURIComponent(form.dataset.card) +
                              "/card?back=" + encodeURIComponent(back ? back.value : ""),
                              {credentials: "same-origin"}).catch(() => null);
    const next = fresh && fresh.ok && new DOMParser()
      .parseFromString(await fresh.text(), "text/html").querySelector("article.status");
    if (!card || !next) {
      window.location.reload();
      return;
    }
    // The card keeps its place in the conversation (indentation, highlight).
    next.className = card.className;
    if (card.hasAttribute("aria-current")) next.setAttribute("aria-current", "true");
    card.replaceWith(document.adoptNode(next));
    const button = next.querySelector('form[data-kind="' + form.dataset.kind + '"] button');
    if (button) button.focus();
  });
}

function isTyping(target) {
  return target instanceof Element && (target.isContentEditable ||
    target.closest("input, textarea, select, [contenteditable]") !== null);
}

function moveBetweenCards(step) {
  const cards = [...document.querySelectorAll("article.status")];
  if (!cards.length) return;
  const active = document.activeElement;
  const index = cards.indexOf(active && active.closest ? active.closest("article.status") : null);
  // From no card at all, a conversation starts at its own post.
  const current = cards.findIndex((card) => card.hasAttribute("aria-current"));
  const next = index !== -1 ? Math.min(Math.max(index + step, 0), cards.length - 1)
    : current !== -1 ? current : (step > 0 ? 0 : cards.length - 1);
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  cards[next].focus({preventScroll: true});
  cards[next].scrollIntoView({block: "nearest", behavior: still ? "auto" : "smooth"});
}

function focusCompose(text) {
  text.focus();
  text.setSelectionRange(text.value.length, text.value.length);
}

// n: write, j/k: next/previous post, ?: help. Only on signed-in pages (they hold the help
// dialog), never while typing or with Ctrl, Alt or Meta.
function setUpShortcuts() {
  const dialog = document.getElementById("shortcuts");
  const text = document.getElementById("text");
  if (text && window.location.hash === "#compose") {
    // After load too: Chrome moves the focus when it scrolls to the fragment.
    focusCompose(text);
    window.addEventListener("load", () => focusCompose(text), {once: true});
  }
  if (!dialog || typeof dialog.showModal !== "function") return;
  let returnTo = null;
  const openHelp = () => {
    if (dialog.open) return;
    returnTo = document.activeElement;
    dialog.showModal();
  };
  const opener = document.getElementById("shortcuts-open");
  opener.hidden = false;
  opener.addEventListener("click", openHelp);
  document.getElementById("shortcuts-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    if (returnTo && typeof returnTo.focus === "function") returnTo.focus();
    returnTo = null;
  });
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) return;
    if (dialog.open || isTyping(event.target)) return;
    if (event.key === "n") {
      if (text) focusCompose(text);
      else window.location.assign("/web/home#compose");
    } else if (event.key === "j" || event.key === "k") {
      moveBetweenCards(event.key === "j" ? 1 : -1);
    } else if (event.key === "?") {
      openHelp();
    } else {
      return;
    }
    event.preventDefault();
  });
}

// Security keys and passkeys (WebAuthn). Forms marked `data-webauthn` are shown only where
// the browser can make or use keys. On submit the script asks the server for a challenge
// (`data-options`), lets the browser sign it with a key, and sends the form with the answer.
if (window.PublicKeyCredential) {
  const fromBase64url = (text) => {
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - text.length % 4) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).buffer;
  };
  const toBase64url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const keyList = (list) => (list || []).map((key) => ({ ...key, id: fromBase64url(key.id) }));

  const makeKey = async (options) => {
    const made = await navigator.credentials.create({ publicKey: {
      ...options, challenge: fromBase64url(options.challenge),
      user: { ...options.user, id: fromBase64url(options.user.id) },
      excludeCredentials: keyList(options.excludeCredentials),
    } });
    return {
      id: made.id, rawId: toBase64url(made.rawId), type: made.type,
      authenticatorAttachment: made.authenticatorAttachment,
      clientExtensionResults: made.getClientExtensionResults(),
      response: {
        clientDataJSON: toBase64url(made.response.clientDataJSON),
        attestationObject: toBase64url(made.response.attestationObject),
        transports: made.response.getTransports ? made.response.getTransports() : [],
      },
    };
  };

  const useKey = async (options) => {
    const signed = await navigator.credentials.get({ publicKey: {
      ...options, challenge: fromBase64url(options.challenge),
      allowCredentials: keyList(options.allowCredentials),
    } });
    const response = signed.response;
    return {
      id: signed.id, rawId: toBase64url(signed.rawId), type: signed.type,
      authenticatorAttachment: signed.authenticatorAttachment,
      clientExtensionResults: signed.getClientExtensionResults(),
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        authenticatorData: toBase64url(response.authenticatorData),
        signature: toBase64url(response.signature),
        userHandle: response.userHandle ? toBase64url(response.userHandle) : null,
      },
    };
  };

  for (const form of document.querySelectorAll("form[data-webauthn]")) {
    form.hidden = false;
    const answer = form.querySelector("input[name=credential]");
    const problem = form.querySelector("[data-webauthn-error]");
    const optionsPath = form.dataset.options;
    form.addEventListener("submit", async (event) => {
      if (answer.value) return;
      event.preventDefault();
      problem.hidden = true;
      try {
        const asked = new FormData();
        asked.append("csrf", form.querySelector("input[name=csrf]").value);
        const reply = await fetch(optionsPath, { method: "POST", body: asked });
        if (!reply.ok) throw new Error("no challenge");
        const options = await reply.json();
        const credential = form.dataset.webauthn === "register"
          ? await makeKey(options) : await useKey(options);
        answer.value = JSON.stringify(credential);
        form.submit();
      } catch (error) {
        problem.hidden = false;
      }
    });
  }
}

// Settings: someone who has not chosen a time zone is offered their browser's (saved only
// when they save the form).
{
  const zone = document.querySelector("select[data-time-zone='']");
  const guess = zone && Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (guess && [...zone.options].some((option) => option.value === guess)) zone.value = guess;
}
