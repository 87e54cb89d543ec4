import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArtifactUnavailableError, ChecksumMismatchError, fetchMavenArtifact, type MavenSources } from "./maven-fetch.js";
import { mavenPath, type MavenArtifact } from "./plugin-spec.js";

const artifact: MavenArtifact = {
  groupId: "com.acme",
  artifactId: "acme-connector",
  version: "1.0.0",
  extension: "tar.gz",
  classifier: "plugin",
};
const content = Buffer.from("the plugin archive");
const sha256 = createHash("sha256").update(content).digest("hex");
const sha1 = createHash("sha1").update(content).digest("hex");

describe("plugin archives from a Maven repository", () => {
  let root: string;
  let server: Server;
  let repositoryUrl: string;
  const requests: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "maven-fetch-"));
    server = createServer((req, res) => {
      requests.push(req.url ?? "");
      if (req.url === `/repo/${mavenPath(artifact)}`) return res.end(content);
      if (req.url === `/repo/${mavenPath(artifact)}.sha1`) return res.end(`${sha1}  file\n`);
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    repositoryUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/repo`;
  });

  afterAll(async () => {
    server.close();
    await rm(root, { recursive: true, force: true });
  });

  const sources = (name: string, overrides: Partial<MavenSources> = {}): MavenSources => ({
    cacheDir: join(root, name, "cache"),
    localRepository: join(root, name, "m2"),
    repositoryUrl: undefined,
    mvn: undefined,
    ...overrides,
  });

  it("downloads from E2E_MAVEN_REPOSITORY into the cache, checks the pinned sha256, then serves the cache", async () => {
    const s = sources("download", { repositoryUrl });
    const first = await fetchMavenArtifact(artifact, sha256, s);
    expect(first).toMatchObject({ sha256, source: `${repositoryUrl}/${mavenPath(artifact)}` });
    expect(await readFile(first.file)).toEqual(content);
    const second = await fetchMavenArtifact(artifact, sha256, { ...s, repositoryUrl: "http://127.0.0.1:9/unused" });
    expect(second).toMatchObject({ file: first.file, source: "cache" });
  });

  it("without a pinned checksum, checks the repository's own .sha1", async () => {
    requests.length = 0;
    await fetchMavenArtifact(artifact, undefined, sources("unpinned", { repositoryUrl }));
    expect(requests).toContain(`/repo/${mavenPath(artifact)}.sha1`);
  });

  it("never uses a file whose sha256 differs from the pin, and removes it from the cache", async () => {
    const s = sources("mismatch", { repositoryUrl });
    const wrong = "0".repeat(64);
    await expect(fetchMavenArtifact(artifact, wrong, s)).rejects.toThrow(ChecksumMismatchError);
    await expect(fetchMavenArtifact(artifact, wrong, s)).rejects.toThrow(/has sha256 [0-9a-f]{64}, but 0{64} is pinned/);
    await expect(readFile(join(s.cacheDir, mavenPath(artifact)))).rejects.toThrow(/ENOENT/);
  });

  it("takes the file from the local Maven repository when it is there", async () => {
    const s = sources("local");
    await mkdir(dirname(join(s.localRepository, mavenPath(artifact))), { recursive: true });
    await writeFile(join(s.localRepository, mavenPath(artifact)), content);
    expect(await fetchMavenArtifact(artifact, sha256, s)).toMatchObject({ source: "local Maven repository", sha256 });
  });

  it("says what each source answered, and how to fix it, when none has the file", async () => {
    const error = await fetchMavenArtifact(artifact, sha256, sources("none", { mvn: "no-such-mvn-command" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain("com.acme:acme-connector:1.0.0:tar.gz:plugin could not be had");
    expect(message).toMatch(
      /cache: not in .*\n  - local Maven repository: not in .*\n  - E2E_MAVEN_REPOSITORY: not set\n  - mvn: no mvn command on PATH/,
    );
    expect(message).toMatch(/fix: install Maven .* or set E2E_MAVEN_REPOSITORY/);
  });

  it("names the HTTP answer of a repository that lacks the file", async () => {
    const missing = { ...artifact, version: "9.9.9" };
    const error = await fetchMavenArtifact(missing, undefined, sources("missing", { repositoryUrl })).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/E2E_MAVEN_REPOSITORY: GET .*9\.9\.9.*: HTTP 404/);
  });
});
