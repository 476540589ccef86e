/**
 * The fake's memory: VMs and async jobs. Nothing runs in the background; each
 * request first settles the jobs whose time has come (`tick`), so what a client
 * sees depends only on the clock, and a stopped server leaves no timer behind.
 */
import { randomUUID } from 'node:crypto';

export interface FakeTag {
  key: string;
  value: string;
}

export interface FakeVm {
  id: string;
  name: string;
  displayname: string;
  state: string;
  zoneid: string;
  zonename: string;
  templateid: string;
  templatename: string;
  /** The OS type of the VM (its template's), as listVirtualMachines shows it. */
  guestosid: string;
  serviceofferingid: string;
  serviceofferingname: string;
  cpunumber: number;
  memory: number;
  created: string;
  userdata?: string;
  keypair?: string;
  nic: { id: string; networkid: string; ipaddress: string; netmask: string; gateway: string; isdefault: boolean; traffictype: string; type: string }[];
  tags: FakeTag[];
  /** The job running on the VM, shown inline as `jobid`/`jobstatus` like a real listing does. */
  jobid?: string;
  /** The VM's ROOT volume (listed by listVolumes, never shown on the VM itself). */
  rootvolumeid: string;
}

/** A template the account made with createTemplate. */
export interface FakeTemplate {
  id: string;
  name: string;
  displaytext: string;
  ostypeid: string;
  zoneid: string;
  zonename: string;
  isready: boolean;
  status: string;
  created: string;
  /** The ROOT volume it was made of. */
  volumeid: string;
}

export interface FakeJob {
  jobid: string;
  cmd: string;
  doneAt: number;
  /** 0 running, 1 succeeded, 2 failed. */
  jobstatus: number;
  jobresult?: Record<string, unknown>;
  jobresultcode: number;
  /** Applies the job's effect when it ends; answers the job result, or a failure. */
  complete: () => { result: Record<string, unknown> } | { error: { errorcode: number; errortext: string } };
}

export class FakeStore {
  readonly vms = new Map<string, FakeVm>();
  readonly jobs = new Map<string, FakeJob>();
  readonly templates = new Map<string, FakeTemplate>();
  private ipSequence = 10;

  /** Ends every job whose time has passed, in the order they were submitted. */
  tick(now: number): void {
    for (const job of this.jobs.values()) {
      if (job.jobstatus !== 0 || job.doneAt > now) continue;
      const outcome = job.complete();
      if ('result' in outcome) Object.assign(job, { jobstatus: 1, jobresultcode: 0, jobresult: outcome.result });
      else Object.assign(job, { jobstatus: 2, jobresultcode: 530, jobresult: outcome.error });
    }
  }

  addJob(cmd: string, delayMs: number, complete: FakeJob['complete']): FakeJob {
    const job: FakeJob = { jobid: randomUUID(), cmd, doneAt: Date.now() + delayMs, jobstatus: 0, jobresultcode: 0, complete };
    this.jobs.set(job.jobid, job);
    return job;
  }

  /** A fresh private address, never reused within a fake's life. */
  nextIp(): string {
    this.ipSequence += 1;
    return `10.1.${Math.floor(this.ipSequence / 250)}.${(this.ipSequence % 250) + 2}`;
  }

  /** The VM as listings show it: the in-flight job inline, no user data. */
  view(vm: FakeVm): Record<string, unknown> {
    const { userdata: _userdata, rootvolumeid: _rootvolumeid, jobid, ...shown } = vm;
    const job = jobid ? this.jobs.get(jobid) : undefined;
    return { ...shown, ...(job && job.jobstatus === 0 ? { jobid, jobstatus: 0 } : {}) };
  }
}
