/** Text encodings of CSV exports: what Excel and Chinese CRMs write. */
export type TextEncoding = 'utf-8' | 'gb18030';

export interface DetectedEncoding {
  readonly encoding: TextEncoding;
  /** Bytes of a byte-order mark to skip. */
  readonly bomLength: number;
}

/** Length of the UTF-8 sequence a lead byte starts, or 0 when it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Whether `bytes` (the first part of a file) is valid UTF-8; a sequence cut off by the end of the
 * sample counts as valid.
 */
export function isUtf8Prefix(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes[i]!);
    if (length === 0) return false;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return true;
      if ((bytes[i + k]! & 0xc0) !== 0x80) return false;
    }
    i += length;
  }
  return true;
}

/**
 * UTF-8 with or without a BOM, otherwise GB18030 (a superset of GBK and GB2312, what Excel on a
 * Chinese Windows saves as "CSV"). Decided on the first bytes of the file: GBK text is almost never
 * valid UTF-8 once it holds a few Chinese characters.
 */
export function detectTextEncoding(sample: Uint8Array): DetectedEncoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3 };
  }
  return { encoding: isUtf8Prefix(sample) ? 'utf-8' : 'gb18030', bomLength: 0 };
}

/** One CSV line (RFC 4180 quoting), for downloads such as the refused rows of an import. */
export function csvLine(cells: readonly (string | number)[]): string {
  return cells
    .map((cell) => {
      const text = String(cell);
      // A leading = + - @ would run as a formula when the file is opened in Excel.
      const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
      return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    })
    .join(',');
}
