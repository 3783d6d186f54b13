/** One side of a finding: an address, optionally with port, protocol and service name. */

export interface Endpoint {
  addr: string;
  port?: number;
  proto?: string;
  service?: string;
}
