/**
 * OpenNebula's STATE and LCM_STATE (include/VirtualMachine.h) mapped to the six
 * generic states. LCM_STATE only means something when STATE is ACTIVE: a STOPPED
 * VM may carry a leftover LCM_STATE (fixture vmpool.xml, VM 8).
 */
import type { InstanceState } from '#functions/domain/run-states';

const STATE_NAMES = [
  'INIT',
  'PENDING',
  'HOLD',
  'ACTIVE',
  'STOPPED',
  'SUSPENDED',
  'DONE',
  'FAILED',
  'POWEROFF',
  'UNDEPLOYED',
  'CLONING',
  'CLONING_FAILURE',
] as const;

/** STATE 3. */
const ACTIVE = 3;

const BY_STATE: Record<number, InstanceState> = {
  0: 'pending',
  1: 'pending',
  2: 'pending',
  4: 'stopped',
  5: 'stopped',
  6: 'terminated',
  7: 'error',
  8: 'stopped',
  9: 'stopped',
  10: 'pending',
  11: 'error',
};

// prettier-ignore
const LCM_NAMES = [
  'LCM_INIT', 'PROLOG', 'BOOT', 'RUNNING', 'MIGRATE', 'SAVE_STOP', 'SAVE_SUSPEND', 'SAVE_MIGRATE', 'PROLOG_MIGRATE', 'PROLOG_RESUME',
  'EPILOG_STOP', 'EPILOG', 'SHUTDOWN', 'CANCEL', 'FAILURE', 'CLEANUP_RESUBMIT', 'UNKNOWN', 'HOTPLUG', 'SHUTDOWN_POWEROFF', 'BOOT_UNKNOWN',
  'BOOT_POWEROFF', 'BOOT_SUSPENDED', 'BOOT_STOPPED', 'CLEANUP_DELETE', 'HOTPLUG_SNAPSHOT', 'HOTPLUG_NIC', 'HOTPLUG_SAVEAS', 'HOTPLUG_SAVEAS_POWEROFF', 'HOTPLUG_SAVEAS_SUSPENDED', 'SHUTDOWN_UNDEPLOY',
  'EPILOG_UNDEPLOY', 'PROLOG_UNDEPLOY', 'BOOT_UNDEPLOY', 'HOTPLUG_PROLOG_POWEROFF', 'HOTPLUG_EPILOG_POWEROFF', 'BOOT_MIGRATE', 'BOOT_FAILURE', 'BOOT_MIGRATE_FAILURE', 'PROLOG_MIGRATE_FAILURE', 'PROLOG_FAILURE',
  'EPILOG_FAILURE', 'EPILOG_STOP_FAILURE', 'EPILOG_UNDEPLOY_FAILURE', 'PROLOG_MIGRATE_POWEROFF', 'PROLOG_MIGRATE_POWEROFF_FAILURE', 'PROLOG_MIGRATE_SUSPEND', 'PROLOG_MIGRATE_SUSPEND_FAILURE', 'BOOT_UNDEPLOY_FAILURE', 'BOOT_STOPPED_FAILURE', 'PROLOG_RESUME_FAILURE',
  'PROLOG_UNDEPLOY_FAILURE', 'DISK_SNAPSHOT_POWEROFF', 'DISK_SNAPSHOT_REVERT_POWEROFF', 'DISK_SNAPSHOT_DELETE_POWEROFF', 'DISK_SNAPSHOT_SUSPENDED', 'DISK_SNAPSHOT_REVERT_SUSPENDED', 'DISK_SNAPSHOT_DELETE_SUSPENDED', 'DISK_SNAPSHOT', 'DISK_SNAPSHOT_REVERT', 'DISK_SNAPSHOT_DELETE',
  'PROLOG_MIGRATE_UNKNOWN', 'PROLOG_MIGRATE_UNKNOWN_FAILURE', 'DISK_RESIZE', 'DISK_RESIZE_POWEROFF', 'DISK_RESIZE_UNDEPLOYED', 'HOTPLUG_NIC_POWEROFF', 'HOTPLUG_RESIZE', 'HOTPLUG_SAVEAS_UNDEPLOYED', 'HOTPLUG_SAVEAS_STOPPED', 'BACKUP',
  'BACKUP_POWEROFF', 'RESTORE',
] as const;

/** LCM_STATE (under ACTIVE) by generic state; cloud-apis.md §3.5. */
const LCM_GROUPS: Record<InstanceState, readonly number[]> = {
  pending: [0, 1, 2, 9, 15, 19, 20, 21, 22, 31, 32, 60],
  running: [3, 4, 7, 8, 17, 24, 25, 26, 35, 57, 58, 59, 62, 66, 69],
  stopping: [5, 6, 10, 11, 12, 13, 18, 23, 29, 30],
  stopped: [27, 28, 33, 34, 43, 45, 51, 52, 53, 54, 55, 56, 63, 64, 65, 67, 68, 70, 71],
  error: [14, 16, 36, 37, 38, 39, 40, 41, 42, 44, 46, 47, 48, 49, 50, 61],
  terminated: [],
};

const BY_LCM = new Map<number, InstanceState>(
  Object.entries(LCM_GROUPS).flatMap(([state, codes]) => codes.map((code) => [code, state as InstanceState] as const)),
);

export interface OpennebulaVmState {
  state: InstanceState;
  /** e.g. `ACTIVE/RUNNING`, `STOPPED`, `STATE_42` for a number this code does not know. */
  rawState: string;
}

/**
 * The generic state of a VM from its STATE and LCM_STATE numbers. A number newer
 * than this table is not thrown on: an unknown STATE is `error`; an unknown
 * LCM_STATE under ACTIVE is `running` (newer releases add hotplug-like operations).
 */
export function opennebulaVmState(state: number, lcmState: number): OpennebulaVmState {
  const stateName = STATE_NAMES[state] ?? `STATE_${state}`;
  if (state !== ACTIVE) return { state: BY_STATE[state] ?? 'error', rawState: stateName };
  const lcmName = LCM_NAMES[lcmState] ?? `LCM_STATE_${lcmState}`;
  return {
    state: BY_LCM.get(lcmState) ?? 'running',
    rawState: `${stateName}/${lcmName}`,
  };
}

/** Every LCM_STATE number this table knows, for tests that walk it. */
export const KNOWN_LCM_STATES: readonly number[] = LCM_NAMES.map((_, code) => code);
