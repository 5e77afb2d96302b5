import { InvalidArgumentError, ShapeError } from './errors';
import { assertDimension } from './validate-number';

/**
 * A dense float64 matrix stored row-major: entry `(i, j)` lives at `data[i * cols + j]`.
 *
 * There is no hidden aliasing: every factory and method that returns a `Matrix` returns fresh
 * storage, except the constructor, which adopts the `Float64Array` it is given (documented
 * ownership transfer, for zero-copy interop).
 *
 * @example
 * ```ts
 * const a = Matrix.from([[1, 2], [3, 4]]);
 * a.get(1, 0); // => 3
 * a.transpose().toArray(); // => [[1, 3], [2, 4]]
 * ```
 */
export class Matrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Row-major entries, length `rows · cols`. */
  readonly data: Float64Array;

  /**
   * Wraps `data` (not copied) as a `rows × cols` matrix; allocates zeros when `data` is omitted.
   * @throws {@link InvalidArgumentError} for negative or non-integer sizes.
   * @throws {@link ShapeError} when `data.length ≠ rows · cols`.
   */
  constructor(rows: number, cols: number, data?: Float64Array) {
    assertDimension('rows', rows);
    assertDimension('cols', cols);
    if (data === undefined) {
      data = new Float64Array(rows * cols);
    } else if (!(data instanceof Float64Array)) {
      throw new InvalidArgumentError('data', data, 'a Float64Array');
    } else if (data.length !== rows * cols) {
      throw new ShapeError(`data has length ${data.length}, expected rows·cols = ${rows}·${cols} = ${rows * cols}`, 'data');
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /** The `rows × cols` zero matrix. */
  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  /** The `n × n` identity matrix `Iₙ`. */
  static identity(n: number): Matrix {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /** The square matrix with `diagonal` on its diagonal: `diag(v)`. */
  static diagonal(diagonal: ArrayLike<number>): Matrix {
    const n = diagonal.length;
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = diagonal[i]!;
    return m;
  }

  /**
   * Copies nested arrays into a new matrix.
   * @throws {@link ShapeError} for ragged rows.
   * @throws {@link InvalidArgumentError} for non-numeric entries.
   * @example
   * ```ts
   * Matrix.from([[1, 2, 3]]).cols; // => 3
   * ```
   */
  static from(rows: ArrayLike<ArrayLike<number>>): Matrix {
    if (rows === null || typeof rows !== 'object' || typeof rows.length !== 'number') {
      throw new InvalidArgumentError('rows', rows, 'an array of rows');
    }
    const r = rows.length;
    const c = r === 0 ? 0 : (rows[0]?.length ?? 0);
    const m = new Matrix(r, c);
    for (let i = 0; i < r; i++) {
      const row = rows[i];
      if (row === undefined || row === null || row.length !== c) {
        throw new ShapeError(`rows[${i}] has length ${row?.length ?? 'undefined'}, expected ${c} (ragged input)`, 'rows');
      }
      for (let j = 0; j < c; j++) {
        const v = row[j];
        if (typeof v !== 'number') throw new InvalidArgumentError(`rows[${i}][${j}]`, v, 'a number');
        m.data[i * c + j] = v;
      }
    }
    return m;
  }

  /** Copies a row-major array of `rows · cols` numbers into a new matrix. */
  static fromRowMajor(rows: number, cols: number, values: ArrayLike<number>): Matrix {
    assertDimension('rows', rows);
    assertDimension('cols', cols);
    if (values.length !== rows * cols) {
      throw new ShapeError(`values has length ${values.length}, expected ${rows}·${cols} = ${rows * cols}`, 'values');
    }
    return new Matrix(rows, cols, Float64Array.from(values));
  }

  /** Builds a matrix whose columns are the given vectors (all of the same length). */
  static fromColumns(columns: ArrayLike<ArrayLike<number>>): Matrix {
    const c = columns.length;
    const r = c === 0 ? 0 : (columns[0]?.length ?? 0);
    const m = new Matrix(r, c);
    for (let j = 0; j < c; j++) {
      const col = columns[j]!;
      if (col.length !== r) throw new ShapeError(`columns[${j}] has length ${col.length}, expected ${r}`, 'columns');
      for (let i = 0; i < r; i++) m.data[i * c + j] = col[i]!;
    }
    return m;
  }

  /** `[rows, cols]`. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** Whether `rows === cols`. */
  get isSquare(): boolean {
    return this.rows === this.cols;
  }

  /** Entry `(i, j)`. @throws {@link InvalidArgumentError} when out of range. */
  get(i: number, j: number): number {
    this.checkIndex(i, j);
    return this.data[i * this.cols + j]!;
  }

  /** Sets entry `(i, j)` to `value`. @throws {@link InvalidArgumentError} when out of range. */
  set(i: number, j: number, value: number): void {
    this.checkIndex(i, j);
    this.data[i * this.cols + j] = value;
  }

  /** A deep copy. */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** The transpose `Aᵀ` as a new matrix. */
  transpose(): Matrix {
    const { rows, cols, data } = this;
    const t = new Float64Array(rows * cols);
    const B = 32;
    for (let i0 = 0; i0 < rows; i0 += B) {
      const i1 = Math.min(i0 + B, rows);
      for (let j0 = 0; j0 < cols; j0 += B) {
        const j1 = Math.min(j0 + B, cols);
        for (let i = i0; i < i1; i++) {
          for (let j = j0; j < j1; j++) t[j * rows + i] = data[i * cols + j]!;
        }
      }
    }
    return new Matrix(cols, rows, t);
  }

  /** A copy of row `i`. */
  row(i: number): Float64Array {
    this.checkIndex(i, 0, true);
    return this.data.slice(i * this.cols, (i + 1) * this.cols);
  }

  /** A copy of column `j`. */
  column(j: number): Float64Array {
    this.checkIndex(0, j, false, true);
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j]!;
    return out;
  }

  /** A copy of the diagonal `(a₀₀, a₁₁, …)`, of length `min(rows, cols)`. */
  diagonal(): Float64Array {
    const n = Math.min(this.rows, this.cols);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.data[i * this.cols + i]!;
    return out;
  }

  /** A copy of the block of rows `[r0, r1)` and columns `[c0, c1)`. */
  slice(r0: number, r1: number, c0 = 0, c1 = this.cols): Matrix {
    if (!(0 <= r0 && r0 <= r1 && r1 <= this.rows && 0 <= c0 && c0 <= c1 && c1 <= this.cols)) {
      throw new InvalidArgumentError('slice', `[${r0}, ${r1}) × [${c0}, ${c1})`, `a block inside ${this.rows}×${this.cols}`);
    }
    const out = new Matrix(r1 - r0, c1 - c0);
    for (let i = r0; i < r1; i++) {
      out.data.set(this.data.subarray(i * this.cols + c0, i * this.cols + c1), (i - r0) * out.cols);
    }
    return out;
  }

  /** Nested arrays (a copy). */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    return out;
  }

  /** JSON form: nested arrays. */
  toJSON(): number[][] {
    return this.toArray();
  }

  /** A short human-readable rendering, e.g. for the REPL. */
  toString(): string {
    const rows = this.toArray()
      .slice(0, 8)
      .map((r) => `  [${r.slice(0, 8).map((v) => v.toPrecision(6)).join(', ')}${this.cols > 8 ? ', …' : ''}]`);
    return `Matrix ${this.rows}×${this.cols}\n${rows.join('\n')}${this.rows > 8 ? '\n  …' : ''}`;
  }

  private checkIndex(i: number, j: number, rowOnly = false, colOnly = false): void {
    if (!colOnly && !(Number.isInteger(i) && i >= 0 && i < this.rows)) {
      throw new InvalidArgumentError('row index', i, `an integer in [0, ${this.rows})`);
    }
    if (!rowOnly && !(Number.isInteger(j) && j >= 0 && j < this.cols)) {
      throw new InvalidArgumentError('column index', j, `an integer in [0, ${this.cols})`);
    }
  }
}
