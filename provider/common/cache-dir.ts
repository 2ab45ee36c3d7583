/**
 * Where the provider keeps the little it shares between its processes on one machine (the rate
 * window per key, the journal of creates), and whether a process that wrote there still runs.
 */
import * as os from "node:os";
import * as path from "node:path";

/**
 * The candidate directories for `leaf`, in order: the path the environment variable `setting`
 * names, else `$XDG_CACHE_HOME/pulumi-sip-trunks/<leaf>`, `~/.cache/pulumi-sip-trunks/<leaf>` and
 * `<tmp>/pulumi-sip-trunks-<uid>/<leaf>`; `undefined` when the variable turns it off (`0`,
 * `false`, `off`, `no`).
 */
export function cacheDirs(setting: string, leaf: string, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const value = (env[setting] ?? "").trim();
  if (/^(0|false|off|no)$/i.test(value)) return undefined;
  if (value !== "" && !/^(1|true|on|yes)$/i.test(value)) return [path.resolve(value)];
  const dirs: string[] = [];
  const xdg = env.XDG_CACHE_HOME?.trim();
  if (xdg && path.isAbsolute(xdg)) dirs.push(path.join(xdg, "pulumi-sip-trunks", leaf));
  try {
    const home = os.homedir();
    if (home) dirs.push(path.join(home, ".cache", "pulumi-sip-trunks", leaf));
  } catch {
    // no home directory: the temp directory follows
  }
  const uid = typeof process.getuid === "function" ? process.getuid() : os.userInfo().username;
  dirs.push(path.join(os.tmpdir(), `pulumi-sip-trunks-${uid}`, leaf));
  return dirs;
}

/** Whether process `pid` exists (one of another user counts). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
