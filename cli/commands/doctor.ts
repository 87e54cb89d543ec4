import { resolveImages } from "../../containers/images.js";
import { ksqlDbModeFromEnv } from "../../containers/pipeline-stack.js";
import { describeError } from "../../core/errors.js";
import { checkEngine, checkImages, checkMemory, checkNode, checkPlugins, checkStateFile, type CheckResult } from "../doctor/checks.js";

/**
 * Checks, in a few seconds, everything a first run needs, and says for each failure how to fix it.
 * Exit code 0: a run can start (warnings included); 1: it cannot.
 */
export async function doctor(_args: string[]): Promise<number> {
  const results: CheckResult[] = [checkNode()];
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
