/** Time as it crosses process and transport boundaries: epoch nanoseconds do not fit in a JavaScript number. */

/** Nanoseconds since the epoch, as a decimal string (exact). */
export type NsString = string;
