/**
 * Messages from inside the provider host to the person running the command.
 *
 * The engine shows whatever the dynamic provider host writes to stdout or stderr in the
 * command's diagnostics, during `preview` as well as `up`. That is how an adoption says, before
 * anything happens, which trunk it takes over and what it will change.
 */

let sink: (message: string) => void = (message) => process.stderr.write(`${message}\n`);

/** Shows `message` in the CLI's diagnostics. */
export function notice(message: string): void {
  sink(message);
}

/** Redirects notices (tests); returns the previous sink. */
export function setNoticeSink(next: (message: string) => void): (message: string) => void {
  const previous = sink;
  sink = next;
  return previous;
}
