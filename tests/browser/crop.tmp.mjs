// node crop.tmp.mjs file.png y height out.png
import { launchBrowser } from './lib/browser.mjs';
import { readFileSync } from 'node:fs';
const [file, y, h, out] = process.argv.slice(2);
const b = await launchBrowser();
const p = await b.newPage({ viewport: { width: 360, height: 740 } });
const data = readFileSync(file).toString('base64');
await p.setContent(`<body style="margin:0"><img id=i src="data:image/png;base64,${data}">`);
await p.waitForFunction(() => document.getElementById('i').complete);
const dims = await p.evaluate(() => [document.getElementById('i').naturalWidth, document.getElementById('i').naturalHeight]);
console.log('size', dims);
await p.screenshot({ path: out, clip: { x: 0, y: Number(y), width: dims[0], height: Math.min(Number(h), dims[1] - Number(y)) }, fullPage: true });
await b.close();
