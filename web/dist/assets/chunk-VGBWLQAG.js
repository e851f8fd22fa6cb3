import{b as i}from"./chunk-JE2JWMQ3.js";import{a as n}from"./chunk-W6SSXXPD.js";var a=n(t=>{"use strict";var e=i();t.createRoot=e.createRoot,t.hydrateRoot=e.hydrateRoot;var s});export{a};
