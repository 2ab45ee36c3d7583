/** Names of the checked-in upgrade fixture (see README.md in this directory). Never change them. */
export const UPGRADE_STACK = "upgrade";

export const UPGRADE_FILES = {
  /** `pulumi stack export` of the stack after its first `up`. */
  state: "state.json",
  /**
   * `state.json` as an older version would have written it: the trunks' outputs lack `rtpPing`,
   * `status` (and, for `pbx`, `rtpTimeout`), each at its documented default. Derived by
   * missing-keys.ts; same stack, secrets and emulator data.
   */
  stateMissingKeys: "state-missing-keys.json",
  /** The stack config file (`encryptionsalt` of the empty passphrase, `didww:*`, `sip-trunks-e2e:trunks`). */
  stackConfig: `Pulumi.${UPGRADE_STACK}.yaml`,
  /** The emulator's data file (format sip-trunks-emulator/v1) holding the trunks the state refers to. */
  emulatorData: "emulator-data.json",
  /** Which versions wrote the fixture. */
  provenance: "provenance.json",
} as const;
