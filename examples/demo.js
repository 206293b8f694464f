#!/usr/bin/env node
// `npm run demo`: runs every scene file in this folder (NN-name.js), in order.
'use strict';
const fs = require('fs');
const path = require('path');

const scenes = fs.readdirSync(__dirname).filter((f) => /^\d\d-.*\.js$/.test(f)).sort();
for (const f of scenes) {
  console.log(`\n=== ${f.replace(/\.js$/, '')} ===`);
  require(path.join(__dirname, f)).run();
}
