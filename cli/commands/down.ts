import { parseArgs } from "node:util";
import { displayPath } from "../connection-help.js";
import { describeResources, findStackResources, isEmpty, refOf, removeStackResources, type StackRef } from "../stack-resources.js";
import { deleteStackState, readStackState, stateFileLocation } from "../../helpers/stack/stack-state.js";

export async function down(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { stack: { type: "string" } } });
  const { path } = stateFileLocation();
  const state = await readStackState(path);
  let ref: StackRef;
  if (values.stack !== undefined) {
    ref = state?.stackId === values.stack ? refOf(state) : { stackId: values.stack };
  } else if (state) {
    ref = refOf(state);
  } else {
    console.log(
      `[down] no state file at ${displayPath(path)}: no stack recorded. ` +
        "For what an interrupted 'up' left behind: down --stack <id> (the id 'up' printed).",
    );
    return 0;
  }

  const { removed, problems } = await removeStackResources(ref);
  console.log(`[down] stack ${ref.stackId}: removed ${describeResources(removed)}`);
  if (state && state.stackId === ref.stackId) {
    await deleteStackState(path);
    console.log(`[down] deleted ${displayPath(path)}`);
  }
  const left = await findStackResources(ref);
  if (problems.length > 0 || !isEmpty(left)) {
    console.error(`[down] not everything could be removed:\n  ${[...problems, `still there: ${describeResources(left)}`].join("\n  ")}`);
    return 1;
  }
  return 0;
}
