import{a}from"./chunk-X6W3JHZS.js";import"./chunk-WQ26C7AC.js";import"./chunk-W6SSXXPD.js";export default a();
