// `npm test` and the other scripts run this first (package.json "pre*" scripts): an old Node says so and stops.
import { requireSupportedNode } from "./node-version.mjs";

requireSupportedNode();
