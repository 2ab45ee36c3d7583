export { Trunk, TRUNK_TYPE, trunkProvider, type RecordingSettings, type TrunkArgs, type TrunkInputs, type TrunkOptions, type TrunkOutputs } from "./trunk";
