import * as linalg from '../../packages/linalg/dist/index.js';
const mod = await import('../../packages/linalg-native/dist/index.js');
const b = mod.loadNativeBackend({ threads: 1 }).backend; mod.setNativeThreads(1);
const n = 1000;
const a = new linalg.Matrix(n, n); for (let i = 0; i < n*n; i++) a.data[i] = Math.sin(i*0.37)+Math.cos(i*1.1);
const c = new Float64Array(n*n);
const fs = {
  reuse: ()=>b.syrk(false,n,n,1,a.data,0,c),
  fresh: ()=>b.syrk(false,n,n,1,a.data,0,new Float64Array(n*n)),
  linalg: ()=>linalg.syrk(a,{backend:b}),
  finite: ()=>linalg.assertFiniteMatrix ? linalg.assertFiniteMatrix('a',a) : 0,
  alloc: ()=>new Float64Array(n*n).fill(1),
};
const t = Object.fromEntries(Object.keys(fs).map(k=>[k,[]]));
for (let r=0;r<60;r++) for (const k in fs){ const s=performance.now(); fs[k](); t[k].push(performance.now()-s); }
for (const k in t){ const v=t[k].slice(5).sort((x,y)=>x-y); console.log(k, v[v.length>>1].toFixed(2), v[0].toFixed(2)); }
