import { resolveImages } from "../../containers/images.js";
import { ksqlDbModeFromEnv } from "../../containers/pipeline-stack.js";
import { parseArgs } from "node:util";
import { describeError } from "../../core/errors.js";
import { registerStackSecrets } from "../../helpers/stack/stack-secrets.js";
import { loadTarget } from "../../helpers/target/target-file.js";
import { checkTarget } from "../doctor/target-checks.js";
import { checkEngine, checkImages, checkMemory, checkNode, checkPlugins, checkStateFile, type CheckResult } from "../doctor/checks.js";

/**
 * Checks, in a few seconds, everything a first run needs, and says for each failure how to fix it.
 * Exit code 0: a run can start (warnings included); 1: it cannot.
 */
export async function doctor(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { target: { type: "string" } } });
  const results: CheckResult[] = [checkNode()];
  if (values.target !== undefined) {
    results.push(...(await targetResults(values.target)));
    return report(results);
  }
  let configuration: { images: ReturnType<typeof resolveImages>; ksqldb: boolean } | undefined;
  try {
    configuration = { images: resolveImages(), ksqldb: ksqlDbModeFromEnv() !== "off" };
  } catch (error) {
    results.push({
      name: "configuration",
      outcome: "fail",
      detail: describeError(error),
      fix: 'fix the variable named above (README "Configuration")',
    });
  }
  const { result: engineResult, engine } = await checkEngine();
  results.push(engineResult);
  if (engine !== undefined && configuration !== undefined) results.push(...(await checkImages(configuration.images, configuration.ksqldb)));
  if (configuration !== undefined) results.push(...(await checkPlugins(configuration.images.connectPlugins)));
  results.push(checkMemory(engine), await checkStateFile());
  return report(results);
}

/** The target file, read as a run would read it, then every permission a run needs, tried. */
async function targetResults(file: string): Promise<CheckResult[]> {
  let target;
  try {
    target = await loadTarget(file);
  } catch (error) {
    return [
      {
        name: "target file",
        outcome: "fail",
        detail: describeError(error),
        fix: 'fix the file (README "Running against an existing cluster")',
      },
    ];
  }
  registerStackSecrets(target);
  return [
    { name: "target file", outcome: "ok", detail: `${file}: ${target.network}, namespaces prefixed ${target.namespacePrefix}` },
    ...(await checkTarget(target)),
  ];
}

function report(results: readonly CheckResult[]): number {
  for (const result of results) {
    console.log(
      `${result.outcome === "ok" ? "  ok  " : result.outcome === "warn" ? "  warn" : "  FAIL"}  ${result.name}: ${result.detail}`,
    );
    if (result.fix && result.outcome !== "ok") console.log(`          fix: ${result.fix}`);
  }
  const failed = results.filter((r) => r.outcome === "fail").length;
  const warned = results.filter((r) => r.outcome === "warn").length;
  console.log(
    `\n${results.length} checks: ${failed} failed, ${warned} warning(s). ${failed === 0 ? "A run can start." : "A run cannot start until the failures are fixed."}`,
  );
  return failed === 0 ? 0 : 1;
}
