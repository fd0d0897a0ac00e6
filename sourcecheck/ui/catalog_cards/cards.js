// The lesson catalog as one element (st.components.v2, no build step, no network): a list of cards, one per
// lesson, each with its title, level, time and skills, summary, notes and the documents it reads, and a real
// <button> that opens the lesson. The button sends the lesson's id as the trigger "open"; Python checks it and
// switches to the quiz page (ui/catalog_view.py), so navigation stays inside the app.
//
// Every string comes from `data` (lesson YAML and the document catalog) and goes into the page as text
// (textContent), never as HTML. A lesson that a class is using shows the paused notice instead of a button.
// Keyboard: Tab reaches each card's button, Enter or Space opens it; the button's name is "Open lesson" and the
// title, and the summary is its description, so a screen reader says what the lesson is about.

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function labelled(className, label, text) {
  const p = el("p", className);
  p.append(el("b", "", label), document.createTextNode(` ${text}`));
  return p;
}

const ARROW = "M12 4l-1.41 1.41L16.17 11H4v2h12.17l-5.58 5.59L12 20l8-8z";
const LOCK = "M12 1a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V11a2 2 0 0 0-2-2h-1V6a5 5 0 0 0-5-5zm-3 5a3 3 0 0 1 6 0v3H9V6z";

function icon(path) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.classList.add("cc-icon");
  const shape = document.createElementNS(ns, "path");
  shape.setAttribute("d", path);
  svg.append(shape);
  return svg;
}

export default function mount(component) {
  const { data, parentElement, setTriggerValue } = component;
  const list = parentElement.querySelector(".cc-list");
  if (!list || !data || !Array.isArray(data.cards)) return;
  const openText = String(data.open_text || "Open lesson");
  const focused = parentElement.activeElement && parentElement.activeElement.closest
    ? parentElement.activeElement.closest(".cc-card") : null;
  const focusedId = focused ? focused.dataset.lesson : null;

  const cards = data.cards.map((card, i) => {
    const id = String(card.id);
    const item = el("li", "cc-card");
    item.dataset.lesson = id;
    const title = el("h2", "cc-title", String(card.title));
    title.id = `cc-title-${i}`;
    const summary = el("p", "cc-summary", String(card.summary));
    summary.id = `cc-summary-${i}`;
    item.append(title, el("p", "cc-meta", String(card.meta)), summary);
    if (card.content_note) item.append(labelled("cc-content-note", "Content note:", String(card.content_note)));
    if (card.teacher_note) item.append(labelled("cc-teacher-note", "For teachers:", String(card.teacher_note)));
    const documents = (card.documents || []).map(String);
    item.append(el("p", "cc-meta cc-read", `You will read: ${documents.join("; ")}`));
    if (card.paused) {
      item.classList.add("cc-paused-card");
      const notice = el("p", "cc-paused");
      notice.append(icon(LOCK), el("span", "", String(data.paused_text || "")));
      item.append(notice);
    } else {
      const button = el("button", "cc-open");
      button.type = "button";
      button.id = `cc-open-${i}`;
      button.setAttribute("aria-labelledby", `cc-open-${i} cc-title-${i}`);
      button.setAttribute("aria-describedby", `cc-summary-${i}`);
      button.append(icon(ARROW), el("span", "cc-open-text", openText));
      button.addEventListener("click", () => {
        if (button.getAttribute("aria-disabled") === "true") return;
        button.setAttribute("aria-disabled", "true");
        button.classList.add("cc-opening");
        setTriggerValue("open", id);
      });
      item.append(button);
    }
    return item;
  });
  list.replaceChildren(...cards);
  if (focusedId !== null) {
    const again = [...list.querySelectorAll(".cc-card")].find((c) => c.dataset.lesson === focusedId);
    const button = again ? again.querySelector(".cc-open") : null;
    if (button) button.focus({ preventScroll: true });
  }
}
