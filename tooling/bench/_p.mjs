import * as linalg from '../../packages/linalg/dist/index.js';
const mod = await import('../../packages/linalg-native/dist/index.js');
const load = mod.loadNativeBackend({ threads: 1 });
const b = load.backend; mod.setNativeThreads(1);
const n = Number(process.argv[2] ?? 1000);
const rng = linalg.createRng ? null : null;
const a = new linalg.Matrix(n, n); for (let i = 0; i < n*n; i++) a.data[i] = Math.sin(i*0.37)+Math.cos(i*1.1);
function med(f, reps=21){ const t=[]; for(let r=0;r<reps;r++){const s=performance.now(); f(); t.push(performance.now()-s);} t.sort((x,y)=>x-y); return t[reps>>1].toFixed(2); }
const c = new Float64Array(n*n);
for (let w=0;w<3;w++) b.syrk(false,n,n,1,a.data,0,c);
console.log('raw syrk reuse c', med(()=>b.syrk(false,n,n,1,a.data,0,c)));
console.log('raw syrk fresh c', med(()=>b.syrk(false,n,n,1,a.data,0,new Float64Array(n*n))));
console.log('linalg.syrk', med(()=>linalg.syrk(a,{backend:b})));
console.log('fresh alloc+fill', med(()=>new Float64Array(n*n).fill(1)));
console.log('raw gemm reuse', med(()=>b.gemm(false,false,1024,1024,1024,1,new Float64Array(1024*1024).fill(0.5),new Float64Array(1024*1024).fill(0.25),0,new Float64Array(1024*1024))));
console.log('raw syrk fresh touched c', med(()=>b.syrk(false,n,n,1,a.data,0,new Float64Array(n*n).fill(0))));
console.log('raw syrk reuse c', med(()=>b.syrk(false,n,n,1,a.data,0,c)));
console.log('raw syrk fresh c', med(()=>b.syrk(false,n,n,1,a.data,0,new Float64Array(n*n))));
