// Sim: what the operating system, not the driver, does (API.md section 0). Nothing here is in the WDK.
import { simCreateRequest } from './wdf';
import { ndisSim } from './ndis';
import { lsaSim } from './lsa';

export const Sim = {
  createRequest: simCreateRequest,
  ...ndisSim,
  ...lsaSim,
};
