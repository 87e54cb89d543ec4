import type { LogTail } from "./log-tail.js";
import { describeError } from "../core/errors.js";

/** A service of the stack did not start: names the service, the image, the cause and its last log lines. */
export class ServiceStartError extends Error {
  constructor(
    readonly service: string,
    readonly image: string,
    cause: unknown,
    logTail?: LogTail,
  ) {
    const lines = logTail?.last(30) ?? [];
    const what = image === "(none)" ? service : `${service} (image ${image})`;
    super(
      `${what} did not start: ${explainCause(cause, image)}` +
        (lines.length > 0
          ? `\n--- last ${lines.length} log lines of ${service} ---\n${lines.join("\n")}`
          : logTail === undefined
            ? ""
            : `\n(no log output from ${service})`),
      { cause },
    );
    this.name = "ServiceStartError";
  }
}

function explainCause(cause: unknown, image: string): string {
  const text = describeError(cause);
  if (/could not find a working container runtime strategy/i.test(text)) {
    return `no container engine answered (${text}). Start Docker, or Podman's API service, and set DOCKER_HOST; see README "Requirements".`;
  }
  if (
    /pull access denied|manifest unknown|not found|no such image|failed to resolve|ENOTFOUND|EAI_AGAIN|name resolution|connection refused.*registry/i.test(
      text,
    )
  ) {
    return `image ${image} is not available locally and could not be pulled (${text}). Pull or build it, or point its E2E_*_IMAGE variable at an image that exists (README "Configuration").`;
  }
  return text;
}
