/**
 * The checks of a config grouped as on the page, for the check pickers of the subscribe form and
 * the admin UI's incident form. Built once at start-up, so it must stay linear in the number of
 * checks: copying a group's list per check made start-up quadratic (~170 CPU-s at 20,000 checks).
 * @module
 */

/** One group of the picker: its name (empty: checks without a group) and its checks' names, in config order. */
export interface PickerGroup {
  name: string;
  checks: string[];
}

/** Groups in order of first appearance, each list appended in place. */
export function checkPickerGroups(checks: readonly { name: string; group?: string }[]): PickerGroup[] {
  const byGroup = new Map<string, string[]>();
  for (const check of checks) {
    const list = byGroup.get(check.group ?? '');
    if (list) list.push(check.name);
    else byGroup.set(check.group ?? '', [check.name]);
  }
  return [...byGroup].map(([name, names]) => ({ name, checks: names }));
}
