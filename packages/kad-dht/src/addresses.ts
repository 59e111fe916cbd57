import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Whether an address can be reached from the public internet as far as its
 * form tells: IP addresses outside the private, loopback, link-local, CGNAT
 * and unique-local ranges, and DNS names. `/memory` and `/unix` addresses
 * are process- or host-local, so not public.
 */
export function isPublicAddress (ma: Multiaddr): boolean {
  let components: Array<{ name: string, value?: string }>
  try {
    components = ma.getComponents()
  } catch {
    return false
  }
  const first = components[0]
  if (first == null) return false
  switch (first.name) {
    case 'ip4': return first.value != null && isPublicIPv4(first.value)
    case 'ip6': return first.value != null && isPublicIPv6(first.value)
    case 'dns': case 'dns4': case 'dns6': case 'dnsaddr':
      return first.value !== 'localhost' && !(first.value ?? '').endsWith('.localhost') && !(first.value ?? '').endsWith('.local')
    default: return false
  }
}

function isPublicIPv4 (ip: string): boolean {
  const parts = ip.split('.').map(Number)
  if (parts.length !== 4 || parts.some(p => !Number.isInteger(p) || p < 0 || p > 255)) return false
  const [a, b] = parts
  if (a === 0 || a === 10 || a === 127) return false
  if (a === 169 && b === 254) return false
  if (a === 172 && b >= 16 && b <= 31) return false
  if (a === 192 && b === 168) return false
  if (a === 100 && b >= 64 && b <= 127) return false
  if (a >= 224) return false // multicast and reserved
  return true
}

function isPublicIPv6 (ip: string): boolean {
  const lower = ip.toLowerCase()
  if (lower === '::' || lower === '::1') return false
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  if (mapped != null) return isPublicIPv4(mapped[1])
  const head = parseInt(lower.split(':')[0] === '' ? '0' : lower.split(':')[0], 16)
  if (Number.isNaN(head)) return false
  if ((head & 0xfe00) === 0xfc00) return false // unique local fc00::/7
  if ((head & 0xffc0) === 0xfe80) return false // link local fe80::/10
  if ((head & 0xff00) === 0xff00) return false // multicast
  return true
}
