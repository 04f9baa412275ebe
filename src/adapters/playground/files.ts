/**
 * Photos owners upload and files the bot sends (the monthly workbook), kept in memory for the
 * page to show and download. Only what was put here can be read back: the playground has no
 * path to any other file on the machine.
 */
import { randomUUID } from "node:crypto";

export interface StoredFile {
  readonly name: string;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

/** A few uploads of a demo; older ones are dropped past this many bytes in all. */
const MAX_TOTAL_BYTES = 200 * 1024 * 1024;

export class FileShelf {
  private readonly files = new Map<string, StoredFile>();
  private total = 0;

  put(file: StoredFile): string {
    const id = randomUUID();
    this.files.set(id, file);
    this.total += file.bytes.byteLength;
    for (const [old, f] of this.files) {
      if (this.total <= MAX_TOTAL_BYTES || old === id) break;
      this.files.delete(old);
      this.total -= f.bytes.byteLength;
    }
    return id;
  }

  get(id: string): StoredFile | undefined {
    return this.files.get(id);
  }
}

export const fileUrl = (id: string): string => `/files/${id}`;
