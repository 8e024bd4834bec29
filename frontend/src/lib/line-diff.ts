export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string; oldLine?: number; newLine?: number };

// Beyond this many cells the middle part is shown as removed-then-added instead of aligned:
// model files are small, and a quadratic table must not freeze the tab on a huge one.
const MAX_CELLS = 4_000_000;

/** A line diff (longest common subsequence) of two texts, old → new. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i += 1) out.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: i + 1 });
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_CELLS) {
    midA.forEach((text, i) => out.push({ kind: 'removed', text, oldLine: start + i + 1 }));
    midB.forEach((text, i) => out.push({ kind: 'added', text, newLine: start + i + 1 }));
  } else {
    // lcs[i][j]: length of the longest common subsequence of midA[i:] and midB[j:].
    const lcs = Array.from({ length: midA.length + 1 }, () => new Uint32Array(midB.length + 1));
    for (let i = midA.length - 1; i >= 0; i -= 1) {
      for (let j = midB.length - 1; j >= 0; j -= 1) {
        lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length || j < midB.length) {
      if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
        out.push({ kind: 'same', text: midA[i]!, oldLine: start + i + 1, newLine: start + j + 1 });
        i += 1;
        j += 1;
      } else if (i < midA.length && (j === midB.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
        // Removals first, as unified diffs show a changed line.
        out.push({ kind: 'removed', text: midA[i]!, oldLine: start + i + 1 });
        i += 1;
      } else {
        out.push({ kind: 'added', text: midB[j]!, newLine: start + j + 1 });
        j += 1;
      }
    }
  }
  for (let k = 0; k < a.length - endA; k += 1) {
    out.push({ kind: 'same', text: a[endA + k]!, oldLine: endA + k + 1, newLine: endB + k + 1 });
  }
  return out;
}

export type FileChange = { name: string; status: 'added' | 'removed' | 'changed'; lines: DiffLine[] };

/** The files that differ between two versions (by name), each with its line diff. */
export function diffFiles(before: { name: string; code: string }[], after: { name: string; code: string }[]): FileChange[] {
  const old = new Map(before.map((f) => [f.name, f.code]));
  const next = new Map(after.map((f) => [f.name, f.code]));
  const names = [...new Set([...old.keys(), ...next.keys()])].sort();
  const changes: FileChange[] = [];
  for (const name of names) {
    const a = old.get(name);
    const b = next.get(name);
    if (a === b) continue;
    const status = a == null ? 'added' : b == null ? 'removed' : 'changed';
    changes.push({ name, status, lines: diffLines(a ?? '', b ?? '') });
  }
  return changes;
}
