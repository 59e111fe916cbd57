// Test-only: the official js-libp2p 3.x modules and compliance suites call
// Promise.withResolvers (Node >= 22). Our own packages must not need this; the
// test runner loads it only for spec files that drive official code
// (compliance.spec.js, official-*.spec.js).
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve, reject
    const promise = new this((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
