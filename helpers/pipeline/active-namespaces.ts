/**
 * The scenario namespaces alive in this test process, so diagnostics can narrow a failure
 * bundle to the failing scenario's topics and tables. Vitest runs each test file in its own
 * worker, so this usually holds the one namespace of the file at hand.
 */
const active = new Set<string>();

export function namespaceStarted(id: string): void {
  active.add(id);
}

export function namespaceEnded(id: string): void {
  active.delete(id);
}

/** The single namespace of this process, or undefined when there are none or several. */
export function soleActiveNamespace(): string | undefined {
  return active.size === 1 ? [...active][0] : undefined;
}
