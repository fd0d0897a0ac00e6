// The keyboard scoring desk of the scoring page (st.components.v2, no build step, no network).
//
// It shows one answer at a time (the focused one) with its rubric's levels as buttons. Number keys score the
// current criterion and move to the next (a one-criterion rubric: one key scores; T scores a level worth 10, which
// no single digit reaches); once every criterion has a level the desk asks Python to save (the trigger "save") and moves on to the next answer not yet scored. It never
// shows a score as saved itself: the saved levels come back in `data` after the store committed them, and until
// then the level shows dashed, "saving". Arrows move between answers, C goes to the comment, Enter saves it, Esc
// leaves it. Every string is put in as text; an answer's highlighted text (escaped by render/hints.py) is parsed
// inert and only its text and <mark class="sc-hint"> elements are copied.

const STATES = new Map(); // component key -> the desk's place, kept across reruns of the page
let counter = 0;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function hinted(html) {
  // Only text and the hint marks survive: anything else in the string becomes its text.
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const out = document.createDocumentFragment();
  doc.body.childNodes.forEach((node) => {
    if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK" && node.classList.contains("sc-hint")) {
      const mark = el("mark", "sc-hint", node.textContent);
      mark.title = node.getAttribute("title") || "";
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent || ""));
    }
  });
  return out;
}

export default function mount(component) {
  const { data, key, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".sk");
  if (!root || !data || !Array.isArray(data.answers)) return;
  const answers = data.answers;
  const criteria = data.criteria || [];
  let state = STATES.get(key);
  if (!state) {
    state = { focus: null, crit: 0, draft: null, pending: null, queue: [], focusNonce: null, keyboard: false,
      status: "" };
    STATES.set(key, state);
  }
  const box = root.querySelector(".sk-answer");
  const label = root.querySelector(".sk-label");
  const text = root.querySelector(".sk-text");
  const crits = root.querySelector(".sk-criteria");
  const comment = root.querySelector(".sk-comment");
  const progress = root.querySelector(".sk-progress");
  const status = root.querySelector(".sk-status");

  const indexOf = (id) => answers.findIndex((a) => a.id === id);
  const current = () => answers[indexOf(state.focus)];
  const say = (message) => { state.status = message; status.textContent = message; };
  const levelsText = (levels) => levels.map((p, i) => (criteria.length > 1 ? `${criteria[i].name} ${p}` : `${p}`))
    .join(", ");

  if (data.focus && data.focus.nonce !== state.focusNonce) {
    state.focusNonce = data.focus.nonce;
    state.focus = data.focus.id;
    state.crit = 0;
    state.draft = null;
    state.keyboard = true;
  }
  if (indexOf(state.focus) < 0) {
    const open = answers.find((a) => !a.levels);
    state.focus = answers.length ? (open || answers[0]).id : null;
    state.crit = 0;
    state.draft = null;
  }
  // One save at a time: the next is sent once the server has handled the one before (a trigger sent while the
  // page reruns could otherwise replace one not yet read). A save unanswered for 8 s is sent again with the same
  // nonce, which the store's request key turns into one stored score.
  state.sendNext = () => {
    if (state.pending || !state.queue.length) return;
    state.pending = state.queue.shift();
    state.pending.sent = Date.now();
    setTriggerValue("save", state.pending.request);
  };
  state.resend = () => setTriggerValue("save", state.pending.request);
  const sendNext = () => state.sendNext();
  if (state.pending && data.done && data.done.nonce === state.pending.nonce) {
    state.pending = null;
    say(String(data.done.message || ""));
    sendNext();
  }
  if (!state.timer) {
    state.timer = setInterval(() => {
      if (state.pending && Date.now() - state.pending.sent > 8000) {
        state.pending.sent = Date.now();
        state.resend();
      }
    }, 2000);
  }
  progress.textContent = String(data.progress || "");
  // Number keys reach levels 0 to 9; a rubric with a level worth 10 gets T for it, said in the help line.
  const hasTen = criteria.some((crit) => crit.levels.some((level) => level.points === 10));
  const help = root.querySelector(".sk-help");
  help.textContent = String(help.dataset.base || (help.dataset.base = help.textContent)) +
    (hasTen ? " T scores a level worth 10." : "");
  root.querySelector(".sk-who").textContent = String(data.who || "");

  function draw() {
    const answer = current();
    box.classList.toggle("sk-focused", !!state.keyboard && parentElement.activeElement === box);
    if (!answer) {
      label.textContent = "No answer to score";
      text.replaceChildren();
      crits.replaceChildren();
      comment.disabled = true;
      return;
    }
    const at = indexOf(answer.id) + 1;
    label.textContent = `${answer.label}${answer.name ? " · " + answer.name : ""}` +
      (answer.levels ? ` · scored ${levelsText(answer.levels)}` : " · not scored yet") +
      ` · ${at} of ${answers.length} in the list`;
    text.replaceChildren(hinted(String(answer.html || "")));
    if (answer.shortened) text.append(el("em", "", " … (shortened here: read it whole in the list below)"));
    const waiting = [state.pending, ...state.queue].filter((p) => p && p.id === answer.id);
    const pendingHere = waiting.length ? waiting[waiting.length - 1].levels : null;
    crits.replaceChildren();
    criteria.forEach((crit, c) => {
      const set = el("fieldset", "sk-crit" + (c === state.crit && criteria.length > 1 ? " sk-current" : ""));
      set.append(el("legend", "", criteria.length > 1 ? `${c + 1}. ${crit.name}` : crit.name));
      const row = el("div", "sk-levels");
      crit.levels.forEach((level) => {
        const button = el("button", "sk-level", `${level.points}: ${level.descriptor}`);
        button.type = "button";
        const saved = answer.levels && answer.levels[c] === level.points;
        const drafted = (pendingHere && pendingHere[c] === level.points) ||
          (state.draft && state.draft.id === answer.id && state.draft.levels[c] === level.points);
        button.setAttribute("aria-pressed", saved ? "true" : "false");
        if (drafted && !saved) button.classList.add("sk-draft");
        button.onclick = () => { state.crit = c; choose(level.points, false); };
        row.append(button);
      });
      set.append(row);
      crits.append(set);
    });
    comment.disabled = false;
    if (parentElement.activeElement !== comment) comment.value = String(answer.comment || "");
  }

  function nextOpen(from) {
    for (let step = 1; step <= answers.length; step += 1) {
      const a = answers[(from + step) % answers.length];
      if (!a.levels && ![state.pending, ...state.queue].some((p) => p && p.id === a.id)) return a.id;
    }
    return answers[Math.min(from + 1, answers.length - 1)].id;
  }

  function save(answer, levels, note) {
    if (data.disabled) { say(String(data.disabled)); return false; }
    const nonce = `${Date.now()}-${(counter += 1)}`;
    const request = { answer_id: answer.id, levels, comment: note, seen_id: answer.score_id, nonce };
    state.queue.push({ nonce, id: answer.id, levels, request });
    say(`${answer.label}: ${levelsText(levels)}, saving…`);
    sendNext();
    return true;
  }

  function choose(points, keyboard) {
    const answer = current();
    if (!answer || !criteria.length) return;
    const crit = criteria[state.crit];
    if (!crit.levels.some((l) => l.points === points)) {
      say(`${crit.name} has no level ${points} (levels ${crit.levels.map((l) => l.points).join(", ")}).`);
      return;
    }
    if (!state.draft || state.draft.id !== answer.id) {
      state.draft = { id: answer.id, levels: answer.levels ? answer.levels.slice() : criteria.map(() => null) };
    }
    state.draft.levels[state.crit] = points;
    const last = state.crit === criteria.length - 1;
    const complete = state.draft.levels.every((l) => l !== null);
    if ((keyboard && !last) || !complete) {
      if (keyboard || !complete) state.crit = Math.min(state.crit + 1, criteria.length - 1);
      say(`${crit.name}: ${points}. Now ${criteria[state.crit].name}.`);
      draw();
      return;
    }
    const levels = state.draft.levels.slice();
    state.draft = null;
    state.crit = 0;
    if (save(answer, levels, String(answer.comment || "")) && keyboard) state.focus = nextOpen(indexOf(answer.id));
    draw();
  }

  function move(step) {
    const at = indexOf(state.focus);
    if (at < 0) return;
    const to = Math.max(0, Math.min(answers.length - 1, at + step));
    state.focus = answers[to].id;
    state.crit = 0;
    state.draft = null;
    draw();
    const answer = current();
    say(`${answer.label}${answer.levels ? ", scored " + levelsText(answer.levels) : ", not scored yet"}.`);
  }

  box.onfocus = () => { state.keyboard = true; box.classList.add("sk-focused"); };
  box.onblur = () => { box.classList.remove("sk-focused"); };
  box.onkeydown = (event) => {
    const k = event.key;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    let handled = true;
    if (/^[0-9]$/.test(k)) choose(Number(k), true);
    else if ((k === "t" || k === "T") && hasTen) choose(10, true); // a level worth 10: no single digit reaches it
    else if (k === "ArrowDown" || k === "ArrowRight") move(1);
    else if (k === "ArrowUp" || k === "ArrowLeft") move(-1);
    else if (k === "Home") move(-answers.length);
    else if (k === "End") move(answers.length);
    else if (k === "c" || k === "C") comment.focus();
    else handled = false;
    if (handled) { event.preventDefault(); event.stopPropagation(); }
  };
  comment.onkeydown = (event) => {
    const answer = current();
    if (!answer) return;
    if (event.key === "Escape") {
      comment.value = String(answer.comment || "");
      box.focus();
      say("Comment left unsaved.");
      event.preventDefault();
      event.stopPropagation();
    } else if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      event.stopPropagation();
      if (!answer.levels) { say(`Score ${answer.label} first (number keys), then write its comment.`); return; }
      if (save(answer, answer.levels.slice(), comment.value)) box.focus();
    }
  };

  draw();
  status.textContent = state.status || (data.disabled ? String(data.disabled) : "");
  if (state.keyboard && (!parentElement.activeElement || parentElement.activeElement === document.body) &&
      (document.activeElement === document.body || document.activeElement === null)) {
    box.focus({ preventScroll: true });
  }
}
