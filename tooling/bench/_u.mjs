import * as linalg from '../../packages/linalg/dist/index.js';
const wb = await linalg.createWasmSimdBackend({threads:1});
const m = 10000, n = 1275;
const rng = linalg.createRng(1);
const a = new linalg.Matrix(m, n, rng.fillNormal(new Float64Array(m*n)));
for (let r = 0; r < 2; r++) { const t=performance.now(); const s=linalg.singularValues(a,{backend:wb}); console.log('wasm values', (performance.now()-t).toFixed(0), s[0]); }
