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
    // A page may render its cards itself (a monitor's notes what each post matched).
    const cards = feed.dataset.card || "/web/statuses/";
    const path = cards + encodeURIComponent(status.id) + (feed.dataset.card ? "" : "/card");
    const response = await fetch(path, {credentials: "same-origin"});
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

// A form sent with fetch where the page can do better than reloading; whether the server took
// it (answering with the plain form's redirect). On any failure the plain form is sent instead.
async function sentQuietly(form) {
  const response = await fetch(form.action, {
    method: "POST", body: new URLSearchParams(new FormData(form)),
    credentials: "same-origin", redirect: "manual",
  }).catch(() => null);
  if (!response || (response.type !== "opaqueredirect" && !response.ok)) {
    form.submit();
    return false;
  }
  return true;
}

// Status cards: their action forms are sent with fetch and the card is replaced by its new
// state, keeping focus on the same button; any failure falls back to the plain form.
function setUpStatusActions() {
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("status-action")) return;
    event.preventDefault();
    if (!await sentQuietly(form)) return;
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

// Posts: the image viewer. A post's image links open the full image (without JS); here they
// open it in a modal <dialog> instead, with its description below it, previous/next (buttons
// and the arrow keys) for a post with several, Escape or "Close" to leave, focus returned to
// the link that opened it. The texts come with the gallery (data-*), in the page's language.
{
  let viewer = null;
  let shown = {links: [], index: 0, opener: null};

  const button = (className, label, iconName) => {
    const made = document.createElement("button");
    made.type = "button";
    made.className = "secondary " + className;
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
    use.setAttribute("href", "/static/icons.svg#" + iconName);
    svg.append(use);
    const text = document.createElement("span");
    text.textContent = label;
    made.append(svg, text);
    return made;
  };

  const build = (texts) => {
    const dialog = document.createElement("dialog");
    dialog.className = "viewer";
    const bar = document.createElement("div");
    bar.className = "viewer-bar";
    const position = document.createElement("p");
    position.className = "viewer-position";
    position.setAttribute("aria-live", "polite");
    const close = button("viewer-close", texts.close, "close");
    close.addEventListener("click", () => dialog.close());
    bar.append(position, close);
    const figure = document.createElement("figure");
    figure.className = "viewer-figure";
    const image = document.createElement("img");
    image.className = "viewer-image";
    const caption = document.createElement("figcaption");
    caption.className = "viewer-caption";
    figure.append(image, caption);
    const nav = document.createElement("div");
    nav.className = "viewer-nav";
    const previous = button("viewer-previous", texts.previous, "chevron-left");
    const next = button("viewer-next", texts.next, "chevron-right");
    previous.addEventListener("click", () => show(shown.index - 1));
    next.addEventListener("click", () => show(shown.index + 1));
    nav.append(previous, next);
    dialog.append(bar, figure, nav);
    dialog.addEventListener("keydown", (event) => {
      // The page's shortcuts (n, j, k, ?) are for the page behind, not for the viewer.
      event.stopPropagation();
      if (event.ctrlKey || event.altKey || event.metaKey || shown.links.length < 2) return;
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        event.preventDefault();
        show(shown.index + (event.key === "ArrowRight" ? 1 : -1));
      }
    });
    // A click on the backdrop (the dialog itself, around its content) closes it too.
    dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
    dialog.addEventListener("close", () => {
      document.documentElement.classList.remove("viewer-open");
      image.removeAttribute("src");
      if (shown.opener && shown.opener.isConnected) shown.opener.focus();
      shown = {links: [], index: 0, opener: null};
    });
    document.body.append(dialog);
    return {dialog, position, image, caption, nav};
  };

  const show = (index) => {
    const count = shown.links.length;
    shown.index = (index + count) % count;
    const link = shown.links[shown.index];
    const thumbnail = link.querySelector("img");
    const description = thumbnail ? thumbnail.getAttribute("alt") : "";
    const texts = viewer.texts;
    viewer.image.src = link.href;
    viewer.image.alt = description || "";
    viewer.caption.textContent = description || texts.none;
    viewer.caption.classList.toggle("hint", !description);
    viewer.position.textContent = count > 1 ? texts.position
      .replace("NUMBER", String(shown.index + 1)).replace("COUNT", String(count)) : "";
  };

  const open = (gallery, link) => {
    const texts = {label: gallery.dataset.viewer, close: gallery.dataset.close,
                   previous: gallery.dataset.previous, next: gallery.dataset.next,
                   none: gallery.dataset.none, position: gallery.dataset.position};
    if (viewer) viewer.dialog.remove();
    viewer = build(texts);
    viewer.texts = texts;
    viewer.dialog.setAttribute("aria-label", texts.label);
    const links = [...gallery.querySelectorAll(":scope > li > a")];
    shown = {links, index: links.indexOf(link), opener: link};
    viewer.nav.hidden = links.length < 2;
    show(shown.index);
    document.documentElement.classList.add("viewer-open");
    viewer.dialog.showModal();
    viewer.dialog.querySelector(".viewer-close").focus();
  };

  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.shiftKey ||
        event.altKey || event.metaKey || !(event.target instanceof Element)) return;
    const link = event.target.closest("ul.media[data-viewer] > li > a");
    if (!link || typeof HTMLDialogElement !== "function") return;
    event.preventDefault();
    open(link.closest("ul.media"), link);
  });
}

/* Reach: Web Push on this device (/web/settings/notifications). The page works without this
   (state, choices, "Turn off"); turning on needs the browser's PushManager: register /sw.js,
   subscribe with the server's VAPID key, and send the subscription to /web/push/subscription
   with the page's CSRF token. The session's token never reaches this script. */
{
  const box = document.getElementById("push");
  const form = document.getElementById("push-form");
  const support = document.getElementById("push-support");
  const problem = document.getElementById("push-problem");
  const turnOn = document.getElementById("push-on");
  const turnOff = document.getElementById("push-off");

  const say = (text) => { support.textContent = text; support.hidden = false; };
  const fail = (text) => { problem.textContent = text; problem.hidden = false; };
  const keyBytes = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
    const padded = base64 + "=".repeat((4 - base64.length % 4) % 4);
    return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
  };
  const sameKey = (subscription, key) => {
    const used = subscription.options && subscription.options.applicationServerKey;
    if (!used) return false;
    const bytes = new Uint8Array(used);
    return bytes.length === key.length && bytes.every((byte, index) => byte === key[index]);
  };
  const register = () => navigator.serviceWorker.register("/sw.js", {scope: "/"})
    .then(() => navigator.serviceWorker.ready);
  const appleWithoutHomeScreen = () =>
    (/iPhone|iPad|iPod/.test(navigator.userAgent)
     || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1))
    && !window.matchMedia("(display-mode: standalone)").matches;

  const check = async () => {
    if (!window.isSecureContext) return say(support.dataset.insecure);
    if (!("serviceWorker" in navigator) || !("PushManager" in window)
        || !("Notification" in window)) {
      return say(appleWithoutHomeScreen() ? support.dataset.ios : support.dataset.noPush);
    }
    if (Notification.permission === "denied") return say(support.dataset.denied);
    let held = null;
    try {
      held = await (await register()).pushManager.getSubscription();
    } catch (error) {
      return say(support.dataset.noPush);
    }
    support.hidden = true;
    if (!box.dataset.endpoint) {
      turnOn.hidden = false;
    } else if (!held || held.endpoint !== box.dataset.endpoint) {
      say(support.dataset.lost);
      turnOn.hidden = false;
    }
  };

  const subscribe = async () => {
    problem.hidden = true;
    if (await Notification.requestPermission() !== "granted") return fail(problem.dataset.refused);
    const key = keyBytes(box.dataset.serverKey);
    const pushManager = (await register()).pushManager;
    let subscription = await pushManager.getSubscription();
    if (subscription && !sameKey(subscription, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription = subscription
      || await pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key});
    const data = new FormData(form);
    const response = await fetch(box.dataset.subscribe, {
      method: "POST", credentials: "same-origin", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({csrf: data.get("csrf"), subscription: subscription.toJSON(),
                            alerts: data.getAll("alert"), policy: data.get("policy")})});
    if (!response.ok) {
      const answer = await response.json().catch(() => ({}));
      await subscription.unsubscribe().catch(() => {});
      return fail(answer.detail || problem.dataset.failed);
    }
    window.location.assign(box.dataset.done);
  };

  if (box && form && support && problem && turnOn) {
    check();
    form.addEventListener("submit", (event) => {
      if (!event.submitter || !event.submitter.hasAttribute("data-subscribes")) return;
      event.preventDefault();
      turnOn.disabled = true;
      subscribe().catch(() => fail(problem.dataset.failed))
        .finally(() => { turnOn.disabled = false; });
    });
  }
  if (box && turnOff && "serviceWorker" in navigator) {
    // The browser forgets its subscription too; the server's is removed by the form.
    turnOff.addEventListener("submit", (event) => {
      event.preventDefault();
      navigator.serviceWorker.getRegistration("/")
        .then((registration) => registration && registration.pushManager.getSubscription())
        .then((subscription) => subscription && subscription.unsubscribe())
        .catch(() => {})
        .finally(() => turnOff.submit());
    });
  }
}

// Compose and attention: the composer's audience and "post as" explained as they change, the
// composer folded behind "New post" on phones, announcements dismissed without reloading.
{
  // A select whose chosen option carries `data-hint`: its explanation follows the choice.
  const explain = (select, hint) => {
    const show = () => {
      const chosen = select.selectedOptions[0];
      const text = chosen ? chosen.dataset.hint || "" : "";
      hint.textContent = text;
      hint.hidden = !text;
    };
    select.addEventListener("change", show);
    show();
  };
  const audience = document.getElementById("visibility");
  const audienceHint = document.getElementById("visibility-hint");
  if (audience && audienceHint) {
    explain(audience, audienceHint);
    const groups = document.getElementById("visibility-groups");
    if (groups) {
      const toggle = () => { groups.hidden = audience.value !== "group"; };
      audience.addEventListener("change", toggle);
      toggle();
    }
  }
  const postAs = document.getElementById("post_as");
  const postAsHint = document.getElementById("post-as-hint");
  const compose = document.getElementById("compose");
  if (postAs && postAsHint && compose) {
    explain(postAs, postAsHint);
    const publish = compose.querySelector("button[type=submit][data-publish]");
    const label = () => {
      const chosen = postAs.selectedOptions[0];
      publish.textContent = chosen && chosen.dataset.approval === "true"
        ? publish.dataset.approval : publish.dataset.publish;
    };
    postAs.addEventListener("change", label);
    label();
  }

  // Phones: "New post" (a link to #compose without JS) opens the composer and moves into it.
  const opener = compose && compose.querySelector("a.compose-open");
  const text = document.getElementById("text");
  const open = () => {
    compose.classList.add("open");
    if (text) {
      text.focus();
      text.setSelectionRange(text.value.length, text.value.length);
    }
  };
  if (opener && text) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "compose-open";
    button.setAttribute("aria-controls", "compose-form");
    button.append(...opener.childNodes);
    opener.replaceWith(button);
    button.addEventListener("click", open);
    if (window.location.hash === "#compose") compose.classList.add("open");
    // The `n` shortcut (below, registered later) focuses the text: open the composer first.
    document.addEventListener("keydown", (event) => {
      if (event.key !== "n" || event.ctrlKey || event.altKey || event.metaKey) return;
      if (!isTyping(event.target)) compose.classList.add("open");
    });
  }

  // Announcements: "Dismiss" is sent with fetch; the announcement goes and the focus moves to
  // the next one's button, or to the page's content. Any failure sends the plain form.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("dismiss-announcement")) return;
    event.preventDefault();
    if (!await sentQuietly(form)) return;
    const announcement = form.closest(".announcement");
    const banner = announcement.parentElement;
    const following = announcement.nextElementSibling || announcement.previousElementSibling;
    announcement.remove();
    const next = following && following.querySelector("button");
    if (next) {
      next.focus();
    } else {
      banner.remove();
      const main = document.getElementById("main");
      if (main) main.focus();
    }
  });
}

// Press conferences: a conference's live part (#press-queue) follows its stream. A new vote
// count changes in place and the queue is sorted again (most votes, then the oldest); any other
// event fetches the part anew as the server renders it for this reader (their rights decide
// what it holds), keeping what they typed, the forms they opened and their focus. Its forms
// are sent with fetch; any failure sends the plain form (and the page shows why).
{
  const queue = document.getElementById("press-queue");
  const announcer = document.getElementById("press-live");
  if (queue && queue.dataset.live && queue.dataset.fragment && window.EventSource) {
    const remember = () => ({
      fields: [...queue.querySelectorAll("textarea[id], input[id]:not([type=hidden]), select[id]")]
        .map((field) => [field.id, field.value]),
      open: [...queue.querySelectorAll("details[id][open]")].map((details) => details.id),
      focus: queue.contains(document.activeElement) ? document.activeElement.id : "",
    });
    const restore = (kept) => {
      for (const [id, value] of kept.fields) {
        const field = document.getElementById(id);
        if (field && value) field.value = value;
      }
      for (const id of kept.open) {
        const details = document.getElementById(id);
        if (details) details.open = true;
      }
      const focus = kept.focus && document.getElementById(kept.focus);
      if (focus) focus.focus({preventScroll: true});
    };
    let fetching = false;
    let again = false;
    const refresh = async () => {
      if (fetching) {
        again = true;
        return;
      }
      fetching = true;
      try {
        const response = await fetch(queue.dataset.fragment, {credentials: "same-origin"});
        const fresh = response.ok && new DOMParser()
          .parseFromString(await response.text(), "text/html").getElementById("press-queue");
        if (fresh) {
          const kept = remember();
          const known = new Set([...queue.querySelectorAll(".press-question")].map((item) => item.id));
          queue.replaceChildren(...[...fresh.childNodes].map((node) => document.adoptNode(node)));
          for (const item of queue.querySelectorAll(".press-question")) {
            if (!known.has(item.id)) item.classList.add("new");
          }
          restore(kept);
        }
      } catch (error) {
        // The next event (or a reload) brings the page up to date.
      } finally {
        fetching = false;
        if (again) {
          again = false;
          refresh();
        }
      }
    };
    const say = (word) => {
      if (announcer && word && announcer.dataset[word]) announcer.textContent = announcer.dataset[word];
    };
    const numbers = new Intl.NumberFormat(document.documentElement.lang);
    const countVotes = (data) => {
      // A fragment on its way was rendered before this count: fetch it again when it lands.
      if (fetching) again = true;
      const item = document.getElementById("question-" + data.id);
      if (!item) return;
      item.dataset.votes = String(data.votes);
      const count = item.querySelector(".press-votes-count");
      const word = item.querySelector(".press-votes-word");
      if (count) count.textContent = numbers.format(data.votes);
      if (word) word.textContent = data.votes === 1 ? word.dataset.one : word.dataset.other;
      const list = item.parentElement;
      if (!list || list.id !== "press-queue-list") return;
      const order = (a, b) => Number(b.dataset.votes) - Number(a.dataset.votes)
        || (BigInt(a.dataset.id) < BigInt(b.dataset.id) ? -1 : 1);
      const sorted = [...list.children].sort(order);
      if (sorted.every((child, index) => child === list.children[index])) return;
      const focus = document.activeElement;
      list.append(...sorted);
      if (focus && list.contains(focus)) focus.focus({preventScroll: true});
    };

    const source = new EventSource(queue.dataset.live);
    // Whoever waits for news (a test, a curious reader) can tell the page is listening.
    source.addEventListener("open", () => { queue.dataset.listening = "yes"; });
    const told = {"question.submitted": "submitted", "question.accepted": "accepted",
                  "question.answered": "answered", "conference.opened": "opened",
                  "question.merged": "", "question.rejected": ""};
    for (const [event, word] of Object.entries(told)) {
      source.addEventListener(event, () => {
        refresh();
        say(word);
      });
    }
    source.addEventListener("question.votes", (event) => countVotes(JSON.parse(event.data)));
    source.addEventListener("conference.ended", () => {
      source.close();
      refresh();
      say("ended");
    });

    queue.addEventListener("submit", async (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      event.preventDefault();
      if (!await sentQuietly(form)) return;
      if (form.id === "ask") {
        form.reset();
        say("sent");
      }
      const details = form.closest("details");
      if (details) details.open = false;
      refresh();
    });
  }
}
