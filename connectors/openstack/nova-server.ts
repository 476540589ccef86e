/**
 * The parts of a Nova server (`GET /servers/detail`) the connector reads. Every
 * field is optional: recorded and real replies differ (integer or string ids,
 * `fault.code` as a number or a string, `image` as "" for boot-from-volume).
 */
export interface NovaAddress {
  addr?: string;
  version?: number;
  'OS-EXT-IPS:type'?: string;
}

export interface NovaFault {
  code?: number | string;
  message?: string;
  details?: string;
}

export interface NovaServer {
  id?: string | number;
  name?: string;
  status?: string;
  'OS-EXT-STS:vm_state'?: string | null;
  'OS-EXT-STS:task_state'?: string | null;
  addresses?: Record<string, NovaAddress[] | undefined>;
  accessIPv4?: string;
  accessIPv6?: string;
  metadata?: Record<string, string>;
  fault?: NovaFault;
  created?: string;
}
