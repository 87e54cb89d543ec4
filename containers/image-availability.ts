import { describeError } from "../core/errors.js";
import { imagePresent, pullImage, type Progress } from "./engine/image-pull.js";
import { IMAGE_VARIABLES, type PipelineImages } from "./images.js";

export type ImageAvailability = { available: true } | { available: false; reason: string };

/** testcontainers' reaper, unless switched off; its image is pulled at the first container start. */
const RYUK_DEFAULT_IMAGE = "testcontainers/ryuk:0.14.0";

/** True when the image is present locally or has been pulled now (with progress); otherwise says why not. */
export async function checkImageAvailable(image: string, progress: Progress = () => undefined): Promise<ImageAvailability> {
  try {
    if (await imagePresent(image)) return { available: true };
    await pullImage(image, progress);
    return { available: true };
  } catch (error) {
    const detail = describeError(error).split("\n")[0]?.slice(0, 200) ?? "";
    return { available: false, reason: `image ${image} is not available here (not present locally, ${detail})` };
  }
}

export interface MissingImage {
  readonly image: string;
  readonly reason: string;
  /** What to change: the variable that names the image, or how to do without it. */
  readonly fix: string;
}

/** Every image of the stack that cannot be had, found before anything starts: all of them, not the first. */
export class MissingImagesError extends Error {
  constructor(readonly missing: readonly MissingImage[]) {
    super(
      `${missing.length} image(s) of the stack cannot be had; nothing was started:\n` +
        missing.map((m) => `  ${m.image}: ${m.reason}\n    fix: ${m.fix}`).join("\n") +
        `\nREADME "Configuration" lists the variables; "Registry-less machines" how to build stand-ins.`,
    );
    this.name = "MissingImagesError";
  }
}

/**
 * Checks, in parallel, every image the stack will run (the Connect base; ksqlDB unless switched off;
 * testcontainers' reaper unless TESTCONTAINERS_RYUK_DISABLED=true) and throws MissingImagesError
 * listing each that is neither present nor pullable, with the variable that changes it.
 */
export async function requireStackImages(images: PipelineImages, options: { ksqldb: boolean; progress?: Progress }): Promise<void> {
  const wanted: Array<{ image: string; fix: string }> = [
    { image: images.postgres, fix: `point ${IMAGE_VARIABLES.postgres} at a PostgreSQL image you have` },
    { image: images.kafka, fix: `point ${IMAGE_VARIABLES.kafka} at a cp-kafka image you have (or E2E_CP_VERSION)` },
    {
      image: images.schemaRegistry,
      fix: `point ${IMAGE_VARIABLES.schemaRegistry} at a cp-schema-registry image you have (or E2E_CP_VERSION)`,
    },
    { image: images.connect, fix: `point ${IMAGE_VARIABLES.connect} at a cp-kafka-connect image you have (or E2E_CP_VERSION)` },
    ...(options.ksqldb
      ? [{ image: images.ksqldb, fix: `point ${IMAGE_VARIABLES.ksqldb} at a cp-ksqldb-server image you have, or E2E_KSQLDB=off` }]
      : []),
  ];
  if (process.env.TESTCONTAINERS_RYUK_DISABLED !== "true") {
    wanted.push({
      image: process.env.RYUK_CONTAINER_IMAGE?.trim() || RYUK_DEFAULT_IMAGE,
      fix: "set TESTCONTAINERS_RYUK_DISABLED=true (testcontainers' reaper; the harness removes its own containers), or RYUK_CONTAINER_IMAGE",
    });
  }
  const unique = wanted.filter((w, i) => wanted.findIndex((o) => o.image === w.image) === i);
  const results = await Promise.all(
    unique.map(async (w) => ({ ...w, availability: await checkImageAvailable(w.image, options.progress) })),
  );
  const missing = results.flatMap((r) =>
    r.availability.available ? [] : [{ image: r.image, reason: reasonOf(r.availability.reason, r.image), fix: r.fix }],
  );
  if (missing.length > 0) throw new MissingImagesError(missing);
}

function reasonOf(reason: string, image: string): string {
  return reason.replace(`image ${image} is not available here `, "").replace(/^\(|\)$/g, "");
}
