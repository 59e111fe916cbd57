import { MAX_CHAT_HISTORY } from '../constants.js'
import type { ChatLine, ChatMember } from './room.js'
import type { Writable } from 'node:stream'

/** Columns of the member list on the right. */
const SIDEBAR_WIDTH = 26

/** The longest input line, in characters (a chat message is bounded anyway). */
const MAX_INPUT_LENGTH = 2000

const ESC = '\x1b['

/** Cuts or pads `text` to exactly `width` terminal columns (one column per code point). */
export function fit (text: string, width: number): string {
  const chars = [...text]
  if (chars.length > width) return chars.slice(0, Math.max(0, width - 1)).join('') + (width > 0 ? '…' : '')
  return text + ' '.repeat(width - chars.length)
}

/** Wraps `text` into lines of at most `width` columns. */
export function wrap (text: string, width: number): string[] {
  const chars = [...text]
  if (width <= 0) return []
  const lines: string[] = []
  for (let i = 0; i < chars.length; i += width) lines.push(chars.slice(i, i + width).join(''))
  return lines.length > 0 ? lines : ['']
}

function shortId (id: string): string {
  return id.length > 12 ? `…${id.slice(-6)}` : id
}

/** The whole screen's state. */
export interface ScreenState {
  title: string
  lines: ChatLine[]
  members: ChatMember[]
  input: string
  columns: number
  rows: number
}

/**
 * Renders the chat screen as text: a title bar, the conversation on the left, the room's members on the
 * right, and the input line at the bottom. Pure: the same state gives the same frame.
 */
export function renderScreen (state: ScreenState): string {
  const cols = Math.max(40, state.columns)
  const rows = Math.max(8, state.rows)
  const side = SIDEBAR_WIDTH
  const main = cols - side - 1
  const body = rows - 3
  const formatted: string[] = []
  for (const line of state.lines) {
    const time = line.time.toTimeString().slice(0, 5)
    const text = line.kind === 'notice' ? `${time} * ${line.text}` : `${time} <${line.nick ?? '?'}${line.own === true ? '' : ` ${shortId(line.peerId ?? '')}`}> ${line.text}`
    formatted.push(...wrap(text, main))
  }
  const visible = formatted.slice(-body)
  const memberLines = [`in the room: ${state.members.length + 1}`, '(you)', ...state.members.map(m => `${m.nick ?? '?'} ${shortId(m.peerId)}`)]
  let out = `${ESC}H${ESC}7m${fit(' ' + state.title, cols)}${ESC}0m\r\n`
  for (let i = 0; i < body; i++) {
    out += fit(visible[i] ?? '', main) + '│' + fit(memberLines[i] ?? '', side) + '\r\n'
  }
  out += '─'.repeat(main) + '┴' + '─'.repeat(side) + '\r\n'
  const prompt = '> '
  const room = cols - prompt.length - 1
  const input = [...state.input]
  const shown = input.length > room ? input.slice(input.length - room).join('') : state.input
  out += `${ESC}2K${prompt}${shown}`
  return out
}

/** The terminal UI: keeps the state, reads keys, redraws. */
export class ChatScreen {
  readonly #out: Writable & { columns?: number, rows?: number }
  readonly #state: ScreenState
  readonly #onLine: (text: string) => void
  readonly #onQuit: () => void

  constructor (out: Writable & { columns?: number, rows?: number }, title: string, onLine: (text: string) => void, onQuit: () => void) {
    this.#out = out
    this.#onLine = onLine
    this.#onQuit = onQuit
    this.#state = { title, lines: [], members: [], input: '', columns: out.columns ?? 80, rows: out.rows ?? 24 }
  }

  /** Switches to the alternate screen and draws. */
  open (): void {
    this.#out.write(`${ESC}?1049h${ESC}2J`)
    this.draw()
  }

  /** Restores the normal screen. */
  close (): void {
    this.#out.write(`${ESC}?1049l`)
  }

  resize (columns: number, rows: number): void {
    this.#state.columns = columns
    this.#state.rows = rows
    this.#out.write(`${ESC}2J`)
    this.draw()
  }

  addLine (line: ChatLine): void {
    this.#state.lines.push(line)
    if (this.#state.lines.length > MAX_CHAT_HISTORY) this.#state.lines.splice(0, this.#state.lines.length - MAX_CHAT_HISTORY)
    this.draw()
  }

  setMembers (members: ChatMember[]): void {
    this.#state.members = members
    this.draw()
  }

  setTitle (title: string): void {
    this.#state.title = title
    this.draw()
  }

  /** Handles raw terminal input (keypresses as the bytes a raw-mode stdin gives). */
  input (data: string): void {
    for (const ch of data.replace(/\x1b\[[0-9;]*[A-Za-z~]/g, '')) {
      if (ch === '\r' || ch === '\n') {
        const text = this.#state.input
        this.#state.input = ''
        if (text.trim() !== '') this.#onLine(text)
      } else if (ch === '\x7f' || ch === '\b') {
        this.#state.input = [...this.#state.input].slice(0, -1).join('')
      } else if (ch === '\x03' || ch === '\x04') {
        this.#onQuit()
        return
      } else if (ch === '\x15') {
        this.#state.input = ''
      } else if (ch >= ' ' && ch !== '\x1b' && [...this.#state.input].length < MAX_INPUT_LENGTH) {
        this.#state.input += ch
      }
    }
    this.draw()
  }

  draw (): void {
    this.#out.write(renderScreen(this.#state))
  }
}
