import{a}from"./chunk-NBRGPGMZ.js";import"./chunk-WQ26C7AC.js";import"./chunk-W6SSXXPD.js";export default a();
