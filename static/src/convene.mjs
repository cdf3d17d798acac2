// Starts GOV.UK Frontend's components and Convene's own on every page (loaded as a module, so
// CSP needs no nonce for it).
import { initAll } from "./govuk/govuk-frontend.min.js";
import { initSessionTimeout } from "./session-timeout.mjs";

initAll();

const sessionDialog = document.querySelector("[data-module='convene-session-timeout']");
if (sessionDialog) initSessionTimeout(sessionDialog);
