package eml

// Read is the extractor, for the fuzz target: it reads any bytes as a
// message, whatever Sniff would say of them.
var Read = read
