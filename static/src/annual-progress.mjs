// The annual report's progress page: ask the server how far the generation has got, every
// second, and update the bar and the words without reloading. Stops when it is done or failed.
const panel = document.querySelector("[data-generation-status-url]");

if (panel) {
  const bar = panel.querySelector("progress");
  const words = panel.querySelector("[data-step]");
  const done = document.querySelector("[data-when-done]");

  const poll = async () => {
    let state;
    try {
      const response = await fetch(panel.dataset.generationStatusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      state = await response.json();
    } catch {
      window.setTimeout(poll, 3000);
      return;
    }
    bar.value = state.progress;
    bar.textContent = `${state.progress}%`;
    words.textContent = `${state.progress}%: ${state.step || state.status_label}`;
    if (state.status === "done") {
      done.hidden = false;
      done.querySelector("a").href = state.download_url;
    } else if (state.status === "failed") {
      words.textContent = "The report could not be made. Try again, or tell the service desk.";
    } else {
      window.setTimeout(poll, 1000);
    }
  };
  poll();
}
