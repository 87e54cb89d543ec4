import type { Readable } from "node:stream";

/**
 * Keeps the last lines a container printed, so a failed start or a failing scenario can show
 * them even after the container is gone.
 */
export class LogTail {
  private readonly lines: string[] = [];
  private partial = "";

  constructor(private readonly capacity = 200) {}

  /** Pass to GenericContainer.withLogConsumer. */
  readonly consumer = (stream: Readable): void => {
    stream.on("data", (chunk: Buffer | string) => this.append(chunk.toString()));
  };

  append(text: string): void {
    const pieces = (this.partial + text).split(/\r?\n/);
    this.partial = pieces.pop() ?? "";
    for (const line of pieces) {
      this.lines.push(line);
      if (this.lines.length > this.capacity) this.lines.shift();
    }
  }

  last(count = 40): string[] {
    const all = this.partial ? [...this.lines, this.partial] : [...this.lines];
    return all.slice(-count);
  }
}
