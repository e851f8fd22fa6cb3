import"./chunk-NKRWQR6K.js";import"./chunk-WQ26C7AC.js";import"./chunk-W6SSXXPD.js";
