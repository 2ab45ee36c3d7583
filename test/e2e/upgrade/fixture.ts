/** Names of the checked-in upgrade fixture (see README.md in this directory). Never change them. */
export const UPGRADE_STACK = "upgrade";

export const UPGRADE_FILES = {
  /** `pulumi stack export` of the stack after its first `up`. */
  state: "state.json",
  /** The stack config file (`encryptionsalt` of the empty passphrase, `didww:*`, `sip-trunks-e2e:trunks`). */
  stackConfig: `Pulumi.${UPGRADE_STACK}.yaml`,
  /** The emulator's data file (format sip-trunks-emulator/v1) holding the trunks the state refers to. */
  emulatorData: "emulator-data.json",
  /** Which versions wrote the fixture. */
  provenance: "provenance.json",
} as const;
