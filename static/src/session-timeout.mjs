// Warns a signed-in user before the session ends for inactivity, and lets them stay signed in.
// The server decides: before warning and before leaving we ask it how long is left, because
// another tab may have kept the session alive meanwhile.

export function initSessionTimeout(dialog) {
  const WARNING_SECONDS = Number(dialog.dataset.warningSeconds);
  const statusUrl = dialog.dataset.statusUrl;
  const extendUrl = dialog.dataset.extendUrl;
  const signedOutUrl = dialog.dataset.signedOutUrl;
  const csrfToken = dialog.dataset.csrfToken;
  const countdown = dialog.querySelector("[data-countdown]");
  const stayButton = dialog.querySelector("[data-stay-signed-in]");
  let timer = null;
  let ticker = null;

  function schedule(secondsLeft) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, secondsLeft - WARNING_SECONDS) * 1000);
  }

  async function ask(url, options) {
    const response = await fetch(url, { credentials: "same-origin", ...options });
    if (response.status === 401) return 0;
    const body = await response.json();
    return body.seconds_left;
  }

  async function check() {
    const secondsLeft = await ask(statusUrl);
    if (secondsLeft <= 0) {
      window.location.assign(signedOutUrl);
    } else if (secondsLeft > WARNING_SECONDS) {
      schedule(secondsLeft);
    } else {
      warn(secondsLeft);
    }
  }

  function describe(seconds) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    const parts = [];
    if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
    if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
    return parts.join(" ");
  }

  function warn(secondsLeft) {
    let remaining = Math.floor(secondsLeft);
    countdown.textContent = describe(remaining);
    if (!dialog.open) dialog.showModal();
    clearInterval(ticker);
    ticker = setInterval(() => {
      remaining -= 1;
      if (remaining <= 0) {
        clearInterval(ticker);
        check();
      } else if (remaining % 15 === 0) {
        // Screen readers hear the time every 15 seconds, not every second.
        countdown.textContent = describe(remaining);
      }
    }, 1000);
  }

  stayButton.addEventListener("click", async () => {
    clearInterval(ticker);
    const secondsLeft = await ask(extendUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken },
    });
    dialog.close();
    if (secondsLeft <= 0) window.location.assign(signedOutUrl);
    else schedule(secondsLeft);
  });

  schedule(Number(dialog.dataset.secondsLeft));
}
