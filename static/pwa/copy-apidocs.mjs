// The API reference page (/api/v1/docs) uses Swagger UI from npm, served by the app itself:
// never from a CDN. Copied into build/apidocs/ so the wheel carries it (setup.py copies build/).
import { copyFileSync, mkdirSync } from "node:fs";

const ROOT = new URL(".", import.meta.url).pathname;
const FROM = `${ROOT}node_modules/swagger-ui-dist/`;
mkdirSync(`${ROOT}build/apidocs`, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  copyFileSync(FROM + file, `${ROOT}build/apidocs/${file}`);
}
copyFileSync(`${ROOT}src/apidocs/init.js`, `${ROOT}build/apidocs/init.js`);
