import type { Alert, AlertSource } from '../model.js';
import type { DateOrder } from '../time.js';

/** A parsed input record: a JSON object, or a CSV/TSV row keyed by column name. */
export type RawRecord = Record<string, unknown>;

export interface DetectHints {
  fileName: string;
  /** Column names for tabular inputs. */
  columns?: string[];
}

/**
 * How one product's export maps onto Alert. One module per product, in the manner of a Trivy report writer:
 * detection scores a sample record, map() converts one record.
 */
export interface VendorProfile {
  /** Stable id used by --vendor and in verdict.source.vendor, e.g. "crowdstrike". */
  id: string;
  /** Human name, e.g. "CrowdStrike Falcon (Alerts API, streaming API, CSV)". */
  product: string;
  /** 0 = not this product; 1 = certain. The highest score over the first records of a file wins. */
  detect(record: RawRecord, hints: DetectHints): number;
  /** Throws RecordError when the record cannot be an alert of this product. */
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert;
  /** The tool fields this profile fills and the product fields they come from, for `kdr-triage formats`. */
  fields: Record<string, string>;
}

/** Per-file settings a reader passes on to map(). */
export interface MapOptions {
  /** How to read ambiguous slashed dates such as 11/06/2026 (from the file, or --date-order). */
  dateOrder?: DateOrder;
}

export class RecordError extends Error {}

/**
 * The record is well-formed but is not an alert (a Suricata flow or stats event, a Zeek log line other than a
 * notice): readers may count these instead of warning about each one.
 */
export class NotAnAlert extends RecordError {}
