import * as linalg from '../../packages/linalg/dist/index.js';
const wb = await linalg.createWasmSimdBackend({threads:1});
const n = 1000;
const a = new linalg.Matrix(n, n); for (let i = 0; i < n*n; i++) a.data[i] = Math.sin(i*0.37)+Math.cos(i*1.1)+Math.sin(i*i*1e-3);
let t=performance.now(); const r=linalg.svd(a,{backend:wb}); console.log(performance.now()-t);
