// MDLs, NET_BUFFERs, NET_BUFFER_LISTs (API.md section 4): filled in by the NDIS issue.

/** Sim members of the NDIS family. @internal */
export const ndisSim = {};
