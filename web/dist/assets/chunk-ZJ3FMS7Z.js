import{a}from"./chunk-BLWWR4D2.js";import"./chunk-WQ26C7AC.js";import"./chunk-W6SSXXPD.js";export default a();
