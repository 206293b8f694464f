// Sim: what the operating system, not the driver, does (API.md section 0). Nothing here is in the WDK.
import { simCreateRequest } from './wdf';
import { ndisSim } from './ndis';
import { lsaSim } from './lsa';

/**
 * What the operating system, not the driver, does (API.md section 0): creating simulated requests and
 * client processes, and injecting failures. Nothing here exists in the WDK.
 */
export const Sim = {
  /**
   * A WDF request as the I/O manager would deliver it (a WDFREQUEST for
   * {@link WdfRequestRetrieveInputMemory} / {@link WdfRequestRetrieveOutputMemory}); its buffers alias the
   * views given, with the lengths they have now. MajorFunction other than the four IRP_MJ_* exported, or a
   * RequestorMode other than KernelMode (0) / UserMode (1, the default): RangeError. Delete it with
   * {@link WdfObjectDelete}.
   */
  createRequest: simCreateRequest,
  ...ndisSim,
  ...lsaSim,
};
