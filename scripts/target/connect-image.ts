// Prints the name of the Connect image the harness builds (its base image and default plugins, from the
// environment), building it when it is not there: the target cluster's workers run the same image.
import { resolveImages } from "../../containers/images.js";
import { buildConnectImage } from "../../containers/kafka-connect/connect-image.js";
import { parsePluginSpecs } from "../../containers/kafka-connect/plugin-spec.js";

const images = resolveImages();
const name = await buildConnectImage(
  { baseImage: images.connect, plugins: parsePluginSpecs(images.connectPlugins.join(" "), "E2E_CONNECT_PLUGINS") },
  { progress: (line) => console.error(`connect image: ${line}`) },
);
console.log(name);
