// Small dense linear algebra on row-major Float64Arrays (internal to the Bradley-Terry fit).

/** In-place Cholesky factorisation A = L Lᵀ of an n×n symmetric positive definite matrix (lower part). */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = a[rowJ + j]!;
    for (let k = 0; k < j; k++) {
      const v = a[rowJ + k]!;
      d -= v * v;
    }
    if (!(d > 0)) return false;
    d = Math.sqrt(d);
    a[rowJ + j] = d;
    const inv = 1 / d;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j]!;
      for (let k = 0; k < j; k++) s -= a[rowI + k]! * a[rowJ + k]!;
      a[rowI + j] = s * inv;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place (b becomes x), with L from {@link cholesky}. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[row + k]! * b[k]!;
    b[i] = s / l[row + i]!;
  }
  // Lᵀx = y column by column, so that L is read along its rows (contiguous)
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    const x = b[i]! / l[row + i]!;
    b[i] = x;
    for (let k = 0; k < i; k++) b[k]! -= l[row + k]! * x;
  }
}

/** Inverse of a symmetric positive definite matrix from its Cholesky factor. */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    col.fill(0);
    col[j] = 1;
    choleskySolve(l, n, col);
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i]!;
  }
  return inv;
}

/** C = A B A for symmetric n×n A and B (row-major). */
export function sandwichProduct(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const ab = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowA = i * n;
    const rowOut = i * n;
    for (let k = 0; k < n; k++) {
      const v = a[rowA + k]!;
      if (v === 0) continue;
      const rowB = k * n;
      for (let j = 0; j < n; j++) ab[rowOut + j]! += v * b[rowB + j]!;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowAB = i * n;
    for (let k = 0; k < n; k++) {
      const v = ab[rowAB + k]!;
      if (v === 0) continue;
      const rowA = k * n;
      for (let j = 0; j < n; j++) out[rowAB + j]! += v * a[rowA + j]!;
    }
  }
  return out;
}
