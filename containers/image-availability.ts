import { ImageName, getContainerRuntimeClient } from "testcontainers";
import { describeError } from "../helpers/wait/wait-until.js";

export type ImageAvailability = { available: true } | { available: false; reason: string };

/** True when the image is present locally or can be pulled now; otherwise says why not. */
export async function checkImageAvailable(image: string): Promise<ImageAvailability> {
  try {
    const client = await getContainerRuntimeClient();
    const name = ImageName.fromString(image);
    if (await client.image.exists(name)) return { available: true };
    await client.image.pull(name);
    // Some engines (Podman's Docker API) report a failed pull inside a successful response.
    if (await client.image.exists(name)) return { available: true };
    return { available: false, reason: `image ${image} is not available here (not present locally, and pulling it did not produce it)` };
  } catch (error) {
    const detail = describeError(error).split("\n")[0]?.slice(0, 160) ?? "";
    return { available: false, reason: `image ${image} is not available here (not present locally, pull failed: ${detail})` };
  }
}
