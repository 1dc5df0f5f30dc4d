// The API's custom scalars as TypeScript types (codegen.ts maps them): strings on the wire, branded so
// that a plain string is not taken for a checked code or an ISO day by mistake.

/** 统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character. */
export type USCC = string & { readonly __brand: "USCC" };

/** A day as the API writes it, ISO 8601 `yyyy-mm-dd` (the API's `Date`). */
export type IsoDate = string & { readonly __brand: "IsoDate" };

// GB 32100-2015: 31 characters (no I, O, S, V, Z); the weight of position i is 3^i mod 31.
const CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The code as a `USCC` when it is one (the check character included); a `RangeError` saying why not otherwise. */
export function asUSCC(value: string): USCC {
  if (value.length !== 18) throw new RangeError(`a USCC has 18 characters, not ${value.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const digit = CHARSET.indexOf(value.charAt(i));
    if (digit < 0) throw new RangeError(`character ${i + 1} of a USCC cannot be ${JSON.stringify(value.charAt(i))}`);
    sum += digit * (WEIGHTS[i] ?? 0);
  }
  const check = CHARSET.charAt((31 - (sum % 31)) % 31);
  if (value.charAt(17) !== check) throw new RangeError(`the check character of ${value} should be ${check}`);
  return value as USCC;
}

/** The day as an `IsoDate` when it is a real `yyyy-mm-dd` day; a `RangeError` otherwise. */
export function asIsoDate(value: string): IsoDate {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (day === null || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) {
    throw new RangeError(`not a day yyyy-mm-dd: ${JSON.stringify(value)}`);
  }
  return value as IsoDate;
}
