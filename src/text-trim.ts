/**
 * Trailing characters removed with a loop. `s.replace(/x+$/, '')` looks like
 * the same thing, but a regular expression engine tries it from every `x` of
 * a run that is not at the end, which is quadratic in the run: 40,000
 * slashes took half a second, a megabyte would take minutes.
 */
export function trimTrailing(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1]!)) end--;
  return end === s.length ? s : s.slice(0, end);
}
