import{a}from"./chunk-WQ26C7AC.js";import"./chunk-W6SSXXPD.js";export default a();
