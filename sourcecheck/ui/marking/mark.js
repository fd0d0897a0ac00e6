// Marking phrases in a passage, for a SourceCheck "mark" question (st.components.v2, no build step, no network).
//
// It receives only the passage's words, the text between them and the categories to mark (component data);
// it never knows which words are right. Every string goes into the page as a text node (textContent), never as
// HTML. Its one state value, "marks", is a list of [category, first word, last word]: inside the question's
// st.form Streamlit holds it until the student presses Submit, and the server decides what counts
// (grading/responses.py).
//
// Mouse and touch: tap the first word of a phrase, then its last word (or the same word again); with a mouse,
// dragging across a phrase also marks it. Tapping a mark (or its tag) removes it.
// Keyboard: arrow keys move word by word (Home, End); Space or Enter starts and ends a mark, or removes the mark
// the word is in; Escape cancels a started mark; C (Shift+C back) or 1 to 4 change the category; Tab goes on.

const STATES = new Map(); // component key -> what the student has done, kept across reruns of the page

function stateFor(key, count) {
  let state = STATES.get(key);
  if (!state || state.count !== count) {
    state = { count, marks: [], category: 0, start: null, focus: 0 };
    STATES.set(key, state);
  }
  return state;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function phrase(words, first, last) {
  return words.slice(first, last + 1).join(" ");
}

function markAt(state, index) {
  return state.marks.findIndex(([, first, last]) => first <= index && index <= last);
}

export default function mount(component) {
  const { data, key, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".mk");
  if (!root || !data || !Array.isArray(data.words)) return;
  const words = data.words.map(String);
  const between = (data.gaps || []).map(String);
  const categories = (data.categories || []).map((c) => ({
    id: String(c.id), title: String(c.title), colour: String(c.colour), background: String(c.background),
    pattern: String(c.pattern),
  }));
  if (!categories.length) return;
  const state = stateFor(key, words.length);
  state.category = Math.min(state.category, categories.length - 1);

  const palette = root.querySelector(".mk-palette");
  const cats = root.querySelector(".mk-cats");
  const help = root.querySelector(".mk-help");
  const text = root.querySelector(".mk-text");
  const status = root.querySelector(".mk-status");
  text.setAttribute("aria-label", data.label ? String(data.label) : "Passage to mark");

  const several = categories.length > 1;
  const lower = (c) => c.title.toLowerCase();
  const say = (message) => { status.textContent = message; };
  const prompt = () => {
    const cat = categories[state.category];
    if (state.start !== null) {
      return `Now pick the last word of the phrase (or “${words[state.start]}” again for one word).`;
    }
    return several ? `Marking as ${lower(cat)}. Pick the first word of a phrase.` : "Pick the first word of a phrase.";
  };

  function save() {
    setStateValue("marks", state.marks.map(([c, first, last]) => [categories[c].id, first, last]));
  }

  function setCategory(index, announce) {
    state.category = (index + categories.length) % categories.length;
    cats.querySelectorAll("input").forEach((input, i) => { input.checked = i === state.category; });
    if (announce) say(`Marking as ${lower(categories[state.category])}.`);
  }

  function drawPalette() {
    palette.hidden = !several;
    cats.replaceChildren();
    categories.forEach((cat, i) => {
      const label = el("label", "mk-cat");
      const input = el("input");
      input.type = "radio";
      input.name = "mk-category";
      input.value = String(i);
      input.checked = i === state.category;
      input.addEventListener("change", () => setCategory(i, true));
      const swatch = el("span", "mk-swatch");
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.background = cat.background;
      swatch.style.border = `2px ${cat.pattern === "double" ? "double" : "solid"} ${cat.colour}`;
      const name = el("span", "", cat.title);
      const hint = el("span", "mk-key", String(i + 1));
      hint.setAttribute("aria-hidden", "true");
      label.append(input, swatch, name, hint);
      cats.append(label);
    });
    help.textContent = (several ? "Pick a category, then tap" : "Tap") + " the first and the last word of a " +
      "phrase, or drag across it. Tap a mark to remove it. Keys: arrows move, Space starts and ends a mark, " +
      "Esc cancels" + (several ? `, C or 1–${categories.length} change the category` : "") + ", Tab goes to Submit.";
  }

  function wordName(i) {
    const m = markAt(state, i);
    let name = words[i];
    if (m >= 0) name += `, marked ${lower(categories[state.marks[m][0]])}`;
    if (state.start === i) name += ", start of your new mark";
    return name;
  }

  function wordNode(i) {
    const node = el("span", "mk-w", words[i]);
    node.setAttribute("role", "option");
    node.id = `mk-w-${i}`;
    node.dataset.i = String(i);
    node.tabIndex = i === state.focus ? 0 : -1;
    node.setAttribute("aria-selected", markAt(state, i) >= 0 ? "true" : "false");
    node.setAttribute("aria-label", wordName(i));
    if (state.start === i) node.classList.add("mk-start");
    return node;
  }

  function draw() {
    const hadFocus = parentElement.activeElement && text.contains(parentElement.activeElement);
    const parts = [document.createTextNode(between[0] || "")];
    let i = 0;
    while (i < words.length) {
      const m = markAt(state, i);
      if (m < 0) {
        parts.push(wordNode(i), document.createTextNode(between[i + 1] || ""));
        i += 1;
        continue;
      }
      const [c, , last] = state.marks[m];
      const cat = categories[c];
      const wrap = el("span", "mk-mark");
      wrap.style.background = cat.background;
      wrap.style.textDecoration = `underline ${cat.pattern} ${cat.colour}`;
      for (let j = i; j <= last; j += 1) {
        wrap.append(wordNode(j));
        if (j < last) wrap.append(document.createTextNode(between[j + 1] || ""));
      }
      const tag = el("span", "mk-tag", lower(cat));
      tag.setAttribute("aria-hidden", "true");
      tag.dataset.mark = String(m);
      tag.style.background = cat.background;
      tag.style.borderColor = cat.colour;
      parts.push(wrap, tag, document.createTextNode(between[last + 1] || ""));
      i = last + 1;
    }
    text.replaceChildren(...parts);
    if (hadFocus) focusWord(state.focus);
  }

  function focusWord(i) {
    if (!words.length) return;
    state.focus = Math.max(0, Math.min(words.length - 1, i));
    text.querySelectorAll(".mk-w").forEach((node) => {
      node.tabIndex = Number(node.dataset.i) === state.focus ? 0 : -1;
    });
    const node = text.querySelector(`#mk-w-${state.focus}`);
    if (node) node.focus({ preventScroll: false });
  }

  function addMark(a, b) {
    const first = Math.min(a, b);
    const last = Math.max(a, b);
    const before = state.marks.length;
    state.marks = state.marks.filter(([, f, l]) => l < first || f > last);
    const replaced = before - state.marks.length;
    state.marks.push([state.category, first, last]);
    state.marks.sort((x, y) => x[1] - y[1]);
    state.start = null;
    save();
    draw();
    const cat = lower(categories[state.category]);
    say(`Marked “${phrase(words, first, last)}” as ${cat}.` +
      (replaced ? ` It replaces ${replaced === 1 ? "a mark" : replaced + " marks"} it overlapped.` : ""));
  }

  function removeMark(m) {
    const [c, first, last] = state.marks[m];
    state.marks.splice(m, 1);
    save();
    draw();
    say(`Removed the ${lower(categories[c])} mark “${phrase(words, first, last)}”.`);
  }

  function act(i) {
    state.focus = i;
    if (state.start === null) {
      const m = markAt(state, i);
      if (m >= 0) {
        removeMark(m);
        return;
      }
      state.start = i;
      draw();
      say(`Started a mark at “${words[i]}”. ${prompt()}`);
      return;
    }
    addMark(state.start, i);
  }

  function cancel() {
    if (state.start === null) return;
    state.start = null;
    draw();
    say("Mark cancelled.");
  }

  // Pointer input: a tap or click acts on its word; a mouse drag across words marks them all.
  let down = null;
  const wordOf = (target) => {
    const node = target && target.closest ? target.closest(".mk-w") : null;
    return node && text.contains(node) ? Number(node.dataset.i) : null;
  };
  const clearPreview = () => text.querySelectorAll(".mk-preview").forEach((n) => n.classList.remove("mk-preview"));
  const preview = (a, b) => {
    clearPreview();
    for (let i = Math.min(a, b); i <= Math.max(a, b); i += 1) {
      const node = text.querySelector(`#mk-w-${i}`);
      if (node) node.classList.add("mk-preview");
    }
  };

  text.onpointerdown = (event) => {
    if (event.button !== 0) return;
    const i = wordOf(event.target);
    const tag = event.target.closest ? event.target.closest(".mk-tag") : null;
    down = { i, tag: tag ? Number(tag.dataset.mark) : null, type: event.pointerType, over: i };
    if (event.pointerType === "mouse") event.preventDefault(); // no text selection while dragging
  };
  text.onpointerover = (event) => {
    if (!down || down.i === null || down.type === "touch") return;
    const i = wordOf(event.target);
    if (i === null || i === down.over) return;
    down.over = i;
    if (i !== down.i) preview(down.i, i);
  };
  text.onpointerup = (event) => {
    const was = down;
    down = null;
    clearPreview();
    if (!was) return;
    const i = wordOf(event.target);
    if (was.tag !== null && event.target.closest && event.target.closest(".mk-tag")) {
      removeMark(was.tag);
      return;
    }
    if (was.i === null) return;
    const end = was.type === "touch" ? was.i : (i ?? was.over);
    if (end !== was.i) {
      state.focus = end;
      addMark(was.i, end);
    } else {
      act(was.i);
    }
    focusWord(state.focus);
  };
  text.onpointercancel = () => { down = null; clearPreview(); };
  text.onpointerleave = (event) => {
    if (down && event.pointerType === "mouse" && !event.buttons) { down = null; clearPreview(); }
  };

  text.onkeydown = (event) => {
    const i = wordOf(event.target);
    if (i === null) return;
    const k = event.key;
    let handled = true;
    if (k === "ArrowRight" || k === "ArrowDown") focusWord(i + 1);
    else if (k === "ArrowLeft" || k === "ArrowUp") focusWord(i - 1);
    else if (k === "Home") focusWord(0);
    else if (k === "End") focusWord(words.length - 1);
    else if (k === " " || k === "Enter") { act(i); focusWord(state.focus); }
    else if (k === "Escape") cancel();
    else if (k === "Delete" || k === "Backspace") {
      const m = markAt(state, i);
      if (m >= 0) { removeMark(m); focusWord(i); }
    } else if ((k === "c" || k === "C") && several) setCategory(state.category + (event.shiftKey ? -1 : 1), true);
    else if (/^[1-9]$/.test(k) && Number(k) <= categories.length && several) setCategory(Number(k) - 1, true);
    else handled = false;
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };
  drawPalette();
  draw();
  if (!status.textContent) say(prompt());
}
