/* Zwitscher's service worker (served at /sw.js, scope /): shows the notifications that Web
   Push brings and opens the notifications page when one is clicked (a crisis alert: its page). The browser decrypts each
   push (RFC 8291) with the keys of its subscription; the message is what the server renders
   for Mastodon apps (title, body, icon, notification_id, notification_type, preferred_locale).
   No token is in it, and this worker keeps nothing: no fetch handler, no caches. */
"use strict";

const NOTIFICATIONS_PAGE = "/web/notifications";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  const options = {
    body: message.body || "",
    icon: message.icon || "/static/icon-192.png",
    badge: "/static/icon-192.png",
    lang: message.preferred_locale || "",
    data: { url: crisisPage(message.url) || NOTIFICATIONS_PAGE,
            type: message.notification_type || "" },
    // A crisis alert stays on screen until it is answered or dismissed.
    requireInteraction: Boolean(crisisPage(message.url)),
  };
  if (message.notification_id) {
    // The same notification pushed twice (a retry) replaces itself instead of piling up.
    options.tag = "notification-" + message.notification_id;
  }
  event.waitUntil(self.registration.showNotification(message.title || "Zwitscher", options));
});

/* A crisis alert carries the person's own link to answer it: a path on this server, never
   anywhere else. */
function crisisPage(url) {
  return typeof url === "string" && /^\/crisis\/[0-9]+\.[A-Za-z0-9_-]+$/.test(url) ? url : "";
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const page = (event.notification.data && event.notification.data.url) || NOTIFICATIONS_PAGE;
  const target = new URL(page, self.location.origin).href;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const open = windows.find((client) => client.url === target)
      || windows.find((client) => new URL(client.url).origin === self.location.origin);
    if (!open) {
      return self.clients.openWindow(target);
    }
    const focused = await open.focus();
    if (focused.url === target || !("navigate" in focused)) return focused;
    // A page this worker does not control cannot be navigated from here: open one instead.
    return focused.navigate(target).catch(() => self.clients.openWindow(target));
  })());
});
