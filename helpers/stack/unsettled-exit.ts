/**
 * Node ends a process with exit code 0 when nothing is left to wait for, even while its main promise
 * is still pending (a promise nobody can settle any more). A command must not pass silently that way:
 * this turns it into exit code 1 with a message.
 */
export function failOnUnsettledExit(command: string, settled: () => boolean): void {
  process.once("beforeExit", () => {
    if (settled()) return;
    console.error(
      `${command}: stopped while still waiting for something that can never finish (an internal error; please report it ` +
        "with the output above). Containers it started may still run: 'npm run e2e -- status' lists them, 'down' removes them.",
    );
    process.exitCode = 1;
  });
}
