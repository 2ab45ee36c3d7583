/**
 * Entry point of the provider plugin (plugin/pulumi-resource-siptrunks runs it). The engine
 * starts it with its own address as the first argument that is not a flag and reads the port
 * from the first line of standard output.
 */
import { engineLog, serve, SipTrunksPlugin } from "./server";

async function main(): Promise<void> {
  const engine = process.argv.slice(2).find((a) => !a.startsWith("-"));
  const version = (require("../../../package.json") as { version: string }).version;
  const plugin = new SipTrunksPlugin({ version, notice: engineLog(engine) });
  const { port } = await serve(plugin);
  process.stdout.write(`${port}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`pulumi-resource-siptrunks: ${err.message}\n`);
  process.exit(1);
});
