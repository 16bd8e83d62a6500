// Renders public/icon.svg into the PNG icons and favicon.ico in public/ (run
// by hand after changing the SVG: node scripts/make-icons.mjs). Uses Debian's
// Chromium, as the tests do.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
const svg = readFileSync('public/icon.svg', 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage();
const png = {};
for (const size of [16, 32, 48, 180, 192, 512]) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
  );
  png[size] = await page.screenshot({
    omitBackground: true,
    clip: { x: 0, y: 0, width: size, height: size },
  });
}
await browser.close();
writeFileSync('public/apple-touch-icon.png', png[180]);
writeFileSync('public/icon-192.png', png[192]);
writeFileSync('public/icon-512.png', png[512]);
// ICO with embedded PNGs (Vista+ format): header, directory, images.
const sizes = [16, 32, 48];
const header = Buffer.alloc(6);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(sizes.length, 4);
const dir = Buffer.alloc(16 * sizes.length);
let offset = 6 + dir.length;
sizes.forEach((s, i) => {
  const e = i * 16;
  const data = png[s];
  dir.writeUInt8(s, e);
  dir.writeUInt8(s, e + 1);
  dir.writeUInt8(0, e + 2);
  dir.writeUInt8(0, e + 3);
  dir.writeUInt16LE(1, e + 4);
  dir.writeUInt16LE(32, e + 6);
  dir.writeUInt32LE(data.length, e + 8);
  dir.writeUInt32LE(offset, e + 12);
  offset += data.length;
});
writeFileSync('public/favicon.ico', Buffer.concat([header, dir, ...sizes.map((s) => png[s])]));
console.log('ok');
