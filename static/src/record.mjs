// Saves what the chair types as a draft every few seconds, so a timeout loses nothing.
const form = document.querySelector("[data-module='convene-autosave']");
const status = form?.querySelector("[data-autosave-status]");
let timer = null;

function snapshot() {
  const data = {};
  for (const [key, value] of new FormData(form)) {
    if (key === "csrfmiddlewaretoken") continue;
    (data[key] ||= []).push(value);
  }
  return data;
}

async function save() {
  const response = await fetch(form.dataset.autosaveUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": form.dataset.csrfToken },
    body: JSON.stringify(snapshot()),
  });
  if (response.ok) {
    const body = await response.json();
    status.textContent = `Draft saved automatically at ${body.saved_at}`;
  } else {
    status.textContent = "Could not save a draft: save the record before you leave this page.";
  }
}

if (form) {
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  });
}
