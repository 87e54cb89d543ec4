export * from "./connector.js";
export * from "./connect-errors.js";
export * from "./connect-client.js";
