/**
 * Runs the emulator CLI as a child process (Node 24 = process.execPath, ts-node on the source),
 * for the kill -9 and CLI tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";

export const REPO = path.resolve(__dirname, "../..");
const CLI = path.join(REPO, "emulator/cli.ts");

export interface CliProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runCli(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: CliProcess["exited"] } {
  const child = spawn(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), CLI, ...args], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Starts the CLI and resolves once it prints where it listens. */
export async function startCli(args: string[]): Promise<CliProcess> {
  const p = runCli(args);
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /Listening on (http:\/\/\S+)/.exec(p.stdout());
      if (m) {
        p.child.stdout!.off("data", onData);
        resolve(m[1]);
      }
    };
    p.child.stdout!.on("data", onData);
    void p.exited.then(({ code, signal }) => reject(new Error(`emulator CLI exited (${code ?? signal}) before listening: ${p.stderr()}`)));
  });
  return { ...p, url };
}
