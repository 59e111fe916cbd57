import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Orders addresses for dialling: direct before relayed, public before private
 * before loopback, and cheaper transports first (tcp and memory, then
 * websockets, then the rest). Stable for equal scores, so the caller's (or
 * the peer's) order breaks ties.
 */
export function sortAddresses (addrs: Multiaddr[]): Multiaddr[] {
  return addrs
    .map((ma, index) => ({ ma, index, score: score(ma) }))
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .map(({ ma }) => ma)
}

function score (ma: Multiaddr): number {
  const names = ma.getComponents().map(c => c.name)
  const host = ma.getComponents().find(c => c.name === 'ip4' || c.name === 'ip6')?.value
  let s = 0
  if (names.includes('p2p-circuit')) s += 100
  if (host != null) {
    if (isLoopback(host)) s += 20
    else if (isPrivate(host)) s += 10
  }
  if (names.includes('ws') || names.includes('wss') || names.includes('tls')) s += 1
  else if (!names.includes('tcp') && !names.includes('memory')) s += 2
  return s
}

function isLoopback (ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1'
}

function isPrivate (ip: string): boolean {
  if (ip.startsWith('10.') || ip.startsWith('192.168.') || ip.startsWith('169.254.')) return true
  const m = /^172\.(\d+)\./.exec(ip)
  if (m != null && Number(m[1]) >= 16 && Number(m[1]) <= 31) return true
  const lower = ip.toLowerCase()
  return lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('fe80:')
}
