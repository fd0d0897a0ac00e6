// Following a class as it changes, for SourceCheck's live pages (st.components.v2, no build step, no network).
//
// The page gives it {url, drawn, poll_ms, run, poll}: `url` is the event route's path with the topic's token
// ("/_sc/events?t=..."), `drawn` the version the fragment drew, `run` a number that changes on every run of the
// fragment (so this function is called again after each run), `poll` true when the last run could not read the
// database (poll until one can). It opens one websocket per component key, kept in a module-level Map across
// reruns (a rerun that only changes `drawn` reuses it). The server sends text frames, each a decimal version:
// the current one on opening, then every rise. On a version above `drawn` it sets the "changed" trigger, which
// reruns the fragment; at most one trigger is in flight, and rises during a rerun coalesce into the next one.
// If the socket does not deliver its first frame within 5 s, or closes, the page polls (the trigger every
// poll_ms with the value 0, as today's run_every timer did) and tries the socket again after 1, 2, 4 ... 30 s;
// the first frame of a new socket stops the polling and, being the current version, catches the page up.
// It draws nothing and says nothing: a student never learns which of the two is running.

const LINKS = new Map(); // component key -> its link (socket, timers, the versions seen)
const OPEN_WITHIN_MS = 5000;
const MAX_BACKOFF_MS = 30000;
const IN_FLIGHT_MS = 5000; // a trigger whose run never came back (dropped, or lost) is given up after this
const FRAME = /^[0-9]{1,15}$/;

function socketUrl(path) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${path}`;
}

function fire(link, value) {
  if (link.inFlight !== null) return false;
  link.inFlight = setTimeout(() => { // no run came back: ask again for what is still newer than the page
    link.inFlight = null;
    link.sent = 0;
    consider(link);
  }, IN_FLIGHT_MS);
  link.trigger("changed", value);
  return true;
}

function landed(link) {
  if (link.inFlight !== null) clearTimeout(link.inFlight);
  link.inFlight = null;
}

function consider(link) {
  // A version newer than what the page drew, and than what was already asked for: rerun the fragment.
  if (link.latest > link.drawn && link.latest > link.sent && fire(link, link.latest)) link.sent = link.latest;
}

function stopPolling(link) {
  if (link.pollTimer !== null) clearInterval(link.pollTimer);
  link.pollTimer = null;
}

function startPolling(link) {
  if (link.pollTimer !== null || link.closed) return;
  link.pollTimer = setInterval(() => fire(link, 0), link.pollMs);
}

function polling(link) {
  return link.forcePoll || !link.live;
}

function updatePolling(link) {
  if (polling(link)) startPolling(link); else stopPolling(link);
}

function retryLater(link) {
  if (link.closed || link.retryTimer !== null) return;
  const wait = link.backoff;
  link.backoff = Math.min(link.backoff * 2, MAX_BACKOFF_MS);
  link.retryTimer = setTimeout(() => { link.retryTimer = null; connect(link); }, wait);
}

function drop(link) {
  // This socket is done (closed, or never delivered its first frame in time): poll, and try again later.
  const ws = link.ws;
  link.ws = null;
  link.live = false;
  clearTimeout(link.openTimer);
  if (ws) {
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try { ws.close(); } catch (e) { /* already closing */ }
  }
  updatePolling(link);
  retryLater(link);
}

function connect(link) {
  if (link.closed || link.ws) return;
  let ws;
  try {
    ws = new WebSocket(socketUrl(link.url));
  } catch (e) {
    drop(link);
    return;
  }
  link.ws = ws;
  link.openTimer = setTimeout(() => { if (link.ws === ws && !link.live) drop(link); }, OPEN_WITHIN_MS);
  ws.onmessage = (event) => {
    const text = typeof event.data === "string" ? event.data.trim() : "";
    if (!FRAME.test(text)) return;
    if (!link.live) { // the first frame: the socket works, polling stops, and the page catches up at once
      link.live = true;
      link.backoff = 1000;
      clearTimeout(link.openTimer);
      updatePolling(link);
    }
    link.latest = Math.max(link.latest, Number(text));
    consider(link);
  };
  ws.onclose = () => { if (link.ws === ws) drop(link); };
  ws.onerror = () => { /* onclose follows */ };
}

function shut(link) {
  link.closed = true;
  landed(link);
  stopPolling(link);
  clearTimeout(link.retryTimer);
  clearTimeout(link.openTimer);
  const ws = link.ws;
  link.ws = null;
  if (ws) {
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try { ws.close(); } catch (e) { /* already closing */ }
  }
}

function fresh(url) {
  return {
    url, ws: null, live: false, latest: 0, drawn: 0, sent: 0, inFlight: null, trigger: () => {},
    pollMs: 1000, pollTimer: null, retryTimer: null, openTimer: null, backoff: 1000, forcePoll: false,
    closed: false, closing: null,
  };
}

function wake() {
  // A phone back from sleep, or a network back: try a dropped socket now rather than at the end of its backoff.
  for (const link of LINKS.values()) {
    if (!link.closed && !link.ws && link.retryTimer !== null) {
      clearTimeout(link.retryTimer);
      link.retryTimer = null;
      link.backoff = 1000;
      connect(link);
    }
  }
}

if (!window.__scLiveWake) {
  window.__scLiveWake = true;
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") wake(); });
  window.addEventListener("online", wake);
}

export default function mount(component) {
  const { data, key, setTriggerValue } = component;
  if (!data || typeof data.url !== "string") return undefined;
  let link = LINKS.get(key);
  if (link && link.url !== data.url) { // another class or topic under the same key
    shut(link);
    link = undefined;
  }
  if (!link) {
    link = fresh(data.url);
    LINKS.set(key, link);
  }
  clearTimeout(link.closing);
  link.closed = false;
  link.trigger = setTriggerValue;
  link.drawn = Number(data.drawn) || 0;
  link.pollMs = Math.max(250, Number(data.poll_ms) || 1000);
  landed(link); // this call is the run the last trigger asked for (or a run of the whole page)
  if (link.forcePoll !== Boolean(data.poll)) {
    link.forcePoll = Boolean(data.poll);
    stopPolling(link);
  }
  if (!link.ws && link.retryTimer === null) connect(link);
  updatePolling(link);
  consider(link);
  const mine = link;
  return () => { // unmounted: a page that redraws it at once keeps the socket
    mine.closing = setTimeout(() => {
      if (LINKS.get(key) === mine) LINKS.delete(key);
      shut(mine);
    }, 3000);
  };
}
