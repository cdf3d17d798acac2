// Starts GOV.UK Frontend's components on every page (loaded as a module, so CSP needs no nonce).
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();
