import * as linalg from '../../packages/linalg/dist/index.js';
const rng = linalg.createRng(1);
const out = new Float64Array(800000);
for (let r=0;r<5;r++){ const t=performance.now(); rng.fillNormal(out); console.log('fillNormal 800k', (performance.now()-t).toFixed(1)); }
const u = new Float64Array(800000);
for (let r=0;r<3;r++){ const t=performance.now(); rng.fillUniform(u); console.log('fillUniform 800k', (performance.now()-t).toFixed(1)); }
let s=0; const t=performance.now(); for (let i=0;i<800000;i++) s+=Math.log(u[i]+0.5); console.log('800k Math.log', (performance.now()-t).toFixed(1));
