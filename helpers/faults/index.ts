/** ksql-pipeline-e2e/faults: stop, kill, restart and pause the stack's services under a running pipeline. */
export { StackFaults, type StopMode } from "./stack-faults.js";
