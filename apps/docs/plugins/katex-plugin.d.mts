/** Types of the local TypeDoc KaTeX plugin (see katex-plugin.mjs). */
export interface Formula {
  tex: string;
  display: boolean;
}
export function protectMath(markdown: string): { text: string; formulas: Formula[] };
export function restoreMath(html: string, formulas: Formula[], warn: (message: string) => void): string;
export function renderFormula(tex: string, display: boolean, warn: (message: string) => void): string;
export function load(app: import('typedoc').Application): void;
