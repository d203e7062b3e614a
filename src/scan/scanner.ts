// What the scan phase needs from a scanner, and what a scanner needs from the engine.
import type { Finding, ScanResult, ScannerName } from '../types.ts';
import type { SavedImage } from './builtin/saved-image.ts';

/**
 * Given the image as a scanner read it. The built-in scanner reads every layer anyway; handing the result over spares
 * the scan phase's composition (explain) a second export of the image. Trivy and Grype read the image themselves and
 * never call it.
 */
export type ImageRead = (image: SavedImage) => void;

/** The one engine call the built-in scanner makes; DockerEngine (src/engine) fits it by its shape. */
export interface ImageSource {
  /** The `docker save` tar stream of an image. */
  saveImage(ref: string): Promise<NodeJS.ReadableStream>;
}

export interface ScannerVersion {
  version: string;
  /** When the vulnerability database was built or last changed (ISO 8601), '' when there is none. */
  db_date: string;
}

/** A scanner as the scan phase sees it once started: its version fixed and its image source bound (run/services.ts). */
export interface ScannerService {
  name: string;
  version: string;
  dbDate: string;
  /** What the user should know about the scanner's setup (no database, skipped records). */
  notes: string[];
  /** `signal` stops the scan (Ctrl-C, --timeout). */
  scan(imageRef: string, signal?: AbortSignal, read?: ImageRead): Promise<ScanResult>;
}

export interface Scanner {
  name: ScannerName;
  version(): Promise<ScannerVersion>;
  /**
   * Rejects with a message naming the image and the tool's output when the scan cannot be done. `signal` (Ctrl-C,
   * --timeout) stops it: a tool is killed, the built-in scanner stops reading the image.
   */
  scan(imageRef: string, source: ImageSource, signal?: AbortSignal, read?: ImageRead): Promise<ScanResult>;
  /** Things the user should know about this scanner's setup (skipped database records, missing database). */
  notes: string[];
}

/**
 * A finding that stands for several files of one kind (thousands of source maps make one finding, not thousands).
 * `count` follows the required findings.csv columns; it is 1 for every other finding.
 */
export interface CountedFinding extends Finding {
  count?: number;
}

export interface ScannerOptions {
  /** --vuln-db: a folder or a .zip of OSV JSON records, for the built-in scanner. */
  vulnDb?: string;
  /** Extra trivy options passed through (--skip-db-update, --offline-scan, --cache-dir DIR). */
  trivyArgs?: string[];
  /** Extra grype options passed through. */
  grypeArgs?: string[];
  /** The PATH searched for trivy and grype and given to them; defaults to this process's PATH. */
  pathEnv?: string;
}
