import { ShapeError } from "./json-shape.js";

/**
 * Reads the elements of one top-level JSON array as its text arrives in chunks, so a push query's
 * rows can be used before (or without) the array ever being closed.
 */
export class JsonArrayReader {
  private state: "before-array" | "in-array" | "after-array" = "before-array";
  private element = "";
  /** Nesting depth inside the current element (0 = between elements or in a scalar). */
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** Whether the closing `]` of the array has been read. */
  get isComplete(): boolean {
    return this.state === "after-array";
  }

  /** Feeds more text; returns the elements completed by it, in order. */
  push(chunk: string): unknown[] {
    const completed: unknown[] = [];
    for (const ch of chunk) {
      switch (this.state) {
        case "before-array":
          if (ch === "[") this.state = "in-array";
          else if (!isWhitespace(ch)) throw new ShapeError(`expected a JSON array, found '${ch}'`);
          break;
        case "after-array":
          if (!isWhitespace(ch)) throw new ShapeError(`unexpected '${ch}' after the end of the JSON array`);
          break;
        case "in-array":
          this.readInArray(ch, completed);
          break;
      }
    }
    return completed;
  }

  private readInArray(ch: string, completed: unknown[]): void {
    if (this.inString) {
      this.element += ch;
      if (this.escaped) this.escaped = false;
      else if (ch === "\\") this.escaped = true;
      else if (ch === '"') this.inString = false;
      return;
    }
    if (this.depth === 0 && (ch === "," || ch === "]")) {
      if (this.element.trim() !== "") completed.push(this.finishElement());
      if (ch === "]") this.state = "after-array";
      return;
    }
    if (this.depth === 0 && this.element === "" && isWhitespace(ch)) return;
    this.element += ch;
    if (ch === '"') this.inString = true;
    else if (ch === "{" || ch === "[") this.depth += 1;
    else if (ch === "}" || ch === "]") {
      this.depth -= 1;
      if (this.depth === 0) completed.push(this.finishElement());
    }
  }

  private finishElement(): unknown {
    const text = this.element;
    this.element = "";
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ShapeError(`array element is not valid JSON (${(error as Error).message}): ${text.slice(0, 200)}`);
    }
  }
}

function isWhitespace(ch: string): boolean {
  return ch === " " || ch === "\n" || ch === "\r" || ch === "\t";
}
