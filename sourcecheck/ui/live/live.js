// Following a class as it changes, for SourceCheck's live pages (st.components.v2, no build step, no network).
//
// The page gives it {url, drawn, poll_ms, run, poll}: `url` is the event route's path with the topic's token
// ("/_sc/events?t=..."), `drawn` the version the fragment drew, `run` a number that changes on every run of the
// fragment (so this function is called again after each run), `poll` true when the last run could not read the
// database (poll until one can). It opens one websocket per component key, kept in a module-level Map across
// reruns (a rerun that only changes `drawn` reuses it). The server sends text frames, each a decimal version:
// the current one on opening, then every rise. On a version above `drawn` it sets the "changed" trigger, which
// reruns the fragment; at most one trigger is in flight, and rises during a rerun coalesce into the next one.
// A run that lands having drawn less than was asked for is asked again after poll_ms (never sooner, so a
// page can cost no more than a polling one), until one draws it.
// If the socket does not deliver its first frame within 5 s, or closes, the page polls (the trigger every
// poll_ms with the value 0, as today's run_every timer did) and tries the socket again after 1, 2, 4 ... 30 s;
// the first frame of a new socket stops the polling and, being the current version, catches the page up.
// It draws nothing and says nothing: a student never learns which of the two is running.

const LINKS = new Map(); // component key -> its link (socket, timers, the versions seen)
const OPEN_WITHIN_MS = 5000;
const MAX_BACKOFF_MS = 30000;
// A trigger whose run never came back is sent again after this. Streamlit drops a fragment rerun that arrives
// while a whole-page run is re-registering the page's fragments, and on a busy server that window is wide: at
// 5 s, three drops in a row kept a projector's count behind for 15 s under a CPU hog.
const IN_FLIGHT_MS = 1500;
const FRAME = /^[0-9]{1,15}$/;

function socketUrl(path) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${path}`;
}

function streamlitConnected() {
  // The page's own connection to the server (Streamlit marks it on its app element). While it is down a trigger
  // cannot be sent (Streamlit drops it, and this link would wait for a run that never comes), so nothing is
  // fired; the polling timer or the next frame fires once it is back. After a server restart the new session has
  // not run the page yet (Streamlit's browser code reruns only pages with a run_every timer on reconnecting), and
  // the server runs that first trigger as the whole page (ui/streamlit_internals.py). No such mark (another
  // Streamlit version): connected.
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app ? app.getAttribute("data-test-connection-state") : null;
  return !state || state === "CONNECTED";
}

function pageRunning() {
  // Streamlit marks its app element while the page runs. A fragment rerun asked for during a whole-page run
  // can cut that run short, leaving the page half redrawn (the projector once showed "the answers" in its header
  // over the unrevealed options); the page's own run draws the change anyway, so wait for it to end.
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null && app.getAttribute("data-test-script-state") === "running";
}

function fire(link, value) {
  if (link.inFlight !== null) return false;
  if (!streamlitConnected()) {
    return false;
  }
  if (pageRunning()) {
    if (link.waitRun === null) {
      link.waitRun = setTimeout(() => { link.waitRun = null; link.sent = 0; consider(link); }, 100);
    }
    return false;
  }
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
  clearTimeout(link.behind);
  link.behind = null;
  if (link.sent > link.drawn) {
    // This run drew less than was asked for: a full-page run that started before the change, or one whose
    // fragment rerun Streamlit dropped (the trigger named an element that run replaced, so its fragment id was
    // gone). Ask again after a poll's wait unless a run that drew it lands first; without this the page stayed
    // on the old version until the class changed again.
    link.behind = setTimeout(() => {
      link.behind = null;
      link.sent = 0;
      consider(link);
    }, link.pollMs);
  }
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
  clearTimeout(link.waitRun);
  link.waitRun = null;
  clearTimeout(link.behind);
  link.behind = null;
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
    url, ws: null, live: false, latest: 0, drawn: 0, sent: 0, inFlight: null, behind: null, trigger: () => {},
    pollMs: 1000, pollTimer: null, retryTimer: null, openTimer: null, backoff: 1000, forcePoll: false,
    closed: false, closing: null, owner: null, waitRun: null,
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
  const { data, setTriggerValue } = component;
  if (!data || typeof data.url !== "string") return undefined;
  // The page's key for this subscriber, not the element's: a whole-page rerun makes a new element, and the
  // socket should outlive it (the old element's cleanup waits 3 s, and this mount takes the link back).
  const key = typeof data.key === "string" ? data.key : component.key;
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
  landed(link); // this call is the run the last trigger asked for (or a run of the whole page); pollMs set first
  if (link.forcePoll !== Boolean(data.poll)) {
    link.forcePoll = Boolean(data.poll);
    stopPolling(link);
  }
  if (!link.ws && link.retryTimer === null) connect(link);
  updatePolling(link);
  consider(link);
  const mine = link;
  const owner = {}; // this mount; a later one (the page's next run, a new element) takes the link over
  link.owner = owner;
  return () => { // unmounted: a page that redraws it at once keeps the socket
    if (mine.owner !== owner) return; // a newer element already holds the link (it mounted before this left)
    mine.closing = setTimeout(() => {
      if (mine.owner !== owner) return;
      if (LINKS.get(key) === mine) LINKS.delete(key);
      shut(mine);
    }, 3000);
  };
}
