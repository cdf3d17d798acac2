// The projector view: polls the record every few seconds and redraws it without reloading.
// It shows only what everyone in the room may see; polling does not keep the session alive.
const root = document.querySelector("[data-module='convene-projector']");
const columns = root?.querySelector("[data-projector-columns]");
const overall = root?.querySelector("[data-projector-overall]");
const status = root?.querySelector("[data-projector-status]");
const GIVERS = { family: "Family", agencies: "Agencies", chair: "Chair" };

function scoresText(scores) {
  return Object.entries(scores)
    .map(([giver, score]) => `${GIVERS[giver] ?? giver} ${score}/10`)
    .join(", ");
}

function draw(content) {
  columns.replaceChildren(
    ...content.columns.map((column) => {
      const section = document.createElement("div");
      section.className = "govuk-grid-column-one-third";
      const heading = document.createElement("h2");
      heading.className = "govuk-heading-l";
      heading.textContent = column.title;
      const list = document.createElement("ul");
      list.className = "govuk-list govuk-body-l";
      for (const entry of column.entries) {
        const item = document.createElement("li");
        const scores = scoresText(entry.scores);
        // textContent, never innerHTML: what people typed is shown as text.
        item.textContent = `${entry.kind}: ${entry.text}${scores ? ` (${scores})` : ""}`;
        list.append(item);
      }
      section.append(heading, list);
      return section;
    }),
  );
  const overallText = scoresText(content.overall);
  overall.textContent = overallText ? `Overall safety scale: ${overallText}` : "";
}

async function refresh() {
  try {
    const response = await fetch(root.dataset.url, { credentials: "same-origin" });
    if (!response.ok || !response.headers.get("Content-Type")?.includes("json")) {
      status.textContent = "The projector has stopped: sign in again to continue.";
      return;
    }
    draw(await response.json());
    status.textContent = "";
  } catch {
    status.textContent = "Reconnecting…";
  }
  setTimeout(refresh, 3000);
}

if (root) refresh();
