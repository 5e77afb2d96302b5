import * as linalg from '../../packages/linalg/dist/index.js';
const mod = await import('../../packages/linalg-native/dist/index.js');
const nb = mod.loadNativeBackend({ threads: 1 }).backend;
const wb = await linalg.createWasmSimdBackend({threads:1});
const n = Number(process.argv[2]??1000), m = Number(process.argv[3]??n);
const a = new linalg.Matrix(m, n); for (let i = 0; i < m*n; i++) a.data[i] = Math.sin(i*0.37)+Math.cos(i*1.1)+Math.sin(i*i*1e-3);
for (const [name,b] of [['native',nb],['wasm',wb],['ref',linalg.referenceBackend]]) {
  let t=performance.now(); const r=linalg.svd(a,{backend:b}); const tv=performance.now()-t;
  t=performance.now(); const s=linalg.singularValues(a,{backend:b}); const ts=performance.now()-t;
  console.log(name, 'svd vectors', tv.toFixed(0),'ms values', ts.toFixed(0),'ms', r.s[0], r.s[n-1]);
}
