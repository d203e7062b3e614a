// Entry of the multi-stage and distroless runners, beside Next's standalone server.js.
// That server listens on process.env.HOSTNAME, which Docker sets to the container's host name (with host
// networking, the machine's), so it would not listen where the harness asks. Take the address from HOST instead,
// in JavaScript because the distroless image has no shell to do it in.
process.env.HOSTNAME = process.env.HOST || '0.0.0.0';
require('./server.js');
