// Builds static/build from static/src: Sass to CSS, and GOV.UK Frontend's JS and images copied in.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "static", "build");

mkdirSync(join(out, "govuk"), { recursive: true });
const css = sass.compile(join(root, "static", "src", "convene.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "convene.css"), css.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "images"), join(out, "govuk", "images"), { recursive: true });
for (const module of ["convene.mjs", "session-timeout.mjs", "record.mjs", "projector.mjs", "print.css", "annual.css", "annual-progress.mjs"]) {
  cpSync(join(root, "static", "src", module), join(out, module));
}
console.log(`assets built in ${out}`);
