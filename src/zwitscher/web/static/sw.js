/* Zwitscher's service worker (served at /sw.js, scope /): shows the notifications that Web
   Push brings and opens the notifications page when one is clicked. The browser decrypts each
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
    data: { url: NOTIFICATIONS_PAGE, type: message.notification_type || "" },
  };
  if (message.notification_id) {
    // The same notification pushed twice (a retry) replaces itself instead of piling up.
    options.tag = "notification-" + message.notification_id;
  }
  event.waitUntil(self.registration.showNotification(message.title || "Zwitscher", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(NOTIFICATIONS_PAGE, self.location.origin).href;
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
